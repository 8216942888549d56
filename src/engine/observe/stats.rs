//! Resource usage of a container: CPU, memory, network, block I/O and pids, read from its
//! cgroups (v1 and v2) and from its network namespace.

use super::stats_counters::{ByPath, host_memory, read_counters};
use crate::engine::container::Container;
use crate::engine::error::Result;
use crate::engine::runtime::cgroups::Cgroup;
use crate::engine::runtime::cpu_samples;
use crate::engine::{ContainerId, Engine};
use std::path::Path;
use std::time::Instant;

/// One reading of a container's counters. Rates (CPU %) need two readings: see
/// [`StatsSample::cpu_percent`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsSample {
    /// Container id.
    pub id: ContainerId,
    /// Container name.
    pub name: String,
    /// Total CPU time used by the container, in nanoseconds.
    pub cpu_total_ns: u64,
    /// Memory in use, without the inactive page cache (as Docker reports it).
    pub memory_usage: u64,
    /// The memory limit (the host's memory when unlimited).
    pub memory_limit: u64,
    /// Whether the container has a memory limit of its own (below the host's memory).
    pub memory_limited: bool,
    /// Bytes received on the container's interfaces (loopback excluded).
    pub net_rx: u64,
    /// Bytes sent on the container's interfaces (loopback excluded).
    pub net_tx: u64,
    /// Bytes read from block devices.
    pub block_read: u64,
    /// Bytes written to block devices.
    pub block_write: u64,
    /// Number of processes.
    pub pids: u64,
    /// Whether the container was running when read.
    pub running: bool,
    /// When the reading was taken (for rates).
    pub at: Option<Instant>,
    /// The CPU % of about the last second, from the samples the container's shim keeps
    /// (see `runtime::cpu_samples`): what a first reading shows without waiting. `None`
    /// when the shim has no sample old enough yet.
    pub recent_cpu_percent: Option<f64>,
}

impl StatsSample {
    /// CPU use between `prev` and `self` in percent of one CPU (Docker's CPU %: 200% is two
    /// CPUs fully used).
    pub fn cpu_percent(&self, prev: &StatsSample) -> f64 {
        let (Some(a), Some(b)) = (prev.at, self.at) else {
            return 0.0;
        };
        let wall = b.saturating_duration_since(a).as_nanos() as f64;
        if wall <= 0.0 || self.cpu_total_ns < prev.cpu_total_ns {
            return 0.0;
        }
        (self.cpu_total_ns - prev.cpu_total_ns) as f64 / wall * 100.0
    }

    /// Memory use in percent of the limit.
    pub fn memory_percent(&self) -> f64 {
        if self.memory_limit == 0 {
            0.0
        } else {
            self.memory_usage as f64 / self.memory_limit as f64 * 100.0
        }
    }
}

/// A sample of a container not read yet: its id, name, whether it runs, and the host's
/// memory as the limit (what a stopped container shows).
pub(super) fn blank_sample(c: &Container) -> StatsSample {
    StatsSample {
        id: c.config.id.clone(),
        name: c.config.name.clone(),
        running: c.state.status.has_shim(),
        at: Some(Instant::now()),
        memory_limit: host_memory(),
        ..StatsSample::default()
    }
}

/// Sets the CPU % of about the last second of a running container's sample `s`, taken at
/// `at_ns` (monotonic), from its shim's `samples`.
pub(super) fn add_recent_cpu(
    s: &mut StatsSample,
    at_ns: u64,
    samples: Option<(Option<cpu_samples::CpuSample>, cpu_samples::CpuSample)>,
) {
    if let Some(samples) = samples {
        let now = cpu_samples::CpuSample {
            at_ns,
            usage_ns: s.cpu_total_ns,
        };
        s.recent_cpu_percent = cpu_samples::recent_percent(samples, now);
    }
}

/// Reads a container's counters now, with the CPU % of the last second from its shim's
/// samples in the file `cpu_samples_path`.
pub(super) fn sample_with_recent_cpu(c: &Container, cpu_samples_path: &Path) -> StatsSample {
    let at_ns = cpu_samples::monotonic_ns();
    let mut s = sample(c);
    if s.running {
        add_recent_cpu(&mut s, at_ns, cpu_samples::read(cpu_samples_path));
    }
    s
}

/// Reads a container's counters now.
pub fn sample(c: &Container) -> StatsSample {
    let mut s = blank_sample(c);
    if !s.running {
        return s;
    }
    let cgroup = Cgroup::for_container(&c.config.id);
    let layout = cgroup.layout();
    let mut src = ByPath {
        cgroup,
        pid: c.state.pid,
        text: String::new(),
    };
    read_counters(&mut s, layout, &mut src);
    s
}

impl Engine {
    /// Reads the counters of one container, with the CPU % of the last second.
    pub fn stats(&self, name_or_id: &str) -> Result<StatsSample> {
        let c = self.container(name_or_id)?;
        Ok(self.stats_of(&c))
    }

    /// Reads the counters of a container already looked up, with the CPU % of the last
    /// second (for listings of many containers).
    pub fn stats_of(&self, c: &Container) -> StatsSample {
        sample_with_recent_cpu(c, &self.paths().cpu_samples(c.id()))
    }

    /// The host's total memory in bytes (what an unlimited container may use).
    pub fn host_memory(&self) -> u64 {
        host_memory()
    }

    /// The processes of a running container as host pids.
    pub fn container_pids(&self, name_or_id: &str) -> Result<Vec<i32>> {
        let c = self.container(name_or_id)?;
        if !c.state.status.has_shim() {
            return Err(super::ObserveError::NotRunning(c.name().to_string()).into());
        }
        let mut pids = Cgroup::for_container(c.id()).pids();
        pids.sort_unstable();
        Ok(pids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn cpu_percent_is_time_used_over_wall_time() {
        let t0 = Instant::now();
        let a = StatsSample {
            cpu_total_ns: 0,
            at: Some(t0),
            ..Default::default()
        };
        let b = StatsSample {
            cpu_total_ns: 500_000_000,
            at: Some(t0 + Duration::from_secs(1)),
            ..Default::default()
        };
        assert!((b.cpu_percent(&a) - 50.0).abs() < 0.01);
        assert_eq!(a.cpu_percent(&b), 0.0);
    }
}
