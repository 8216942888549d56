//! Resource usage of a container: CPU, memory, network, block I/O and pids, read from its
//! cgroups (v1 and v2) and from its network namespace.

use crate::engine::container::Container;
use crate::engine::error::Result;
use crate::engine::runtime::cgroups::{Cgroup, Layout};
use crate::engine::runtime::cpu_samples;
use crate::engine::store::Paths;
use crate::engine::{ContainerId, Engine};
use std::fs;
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

fn read_u64(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// `key value` lines (memory.stat, cpu.stat, memory.events).
fn keyed(path: &Path, key: &str) -> Option<u64> {
    fs::read_to_string(path).ok()?.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// Total memory of the host in bytes.
pub fn host_memory() -> u64 {
    // Read once per process: every sample of every container needs it.
    static TOTAL: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TOTAL.get_or_init(|| {
        keyed_colon("/proc/meminfo", "MemTotal")
            .map(|kb| kb * 1024)
            .unwrap_or(0)
    })
}

fn keyed_colon(path: &str, key: &str) -> Option<u64> {
    fs::read_to_string(path).ok()?.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k == key)
            .then(|| v.split_whitespace().next()?.parse().ok())
            .flatten()
    })
}

/// Sums rx/tx bytes of every interface but `lo` in `/proc/<pid>/net/dev` (the container's
/// network namespace as its first process sees it).
pub fn net_bytes(pid: i32) -> (u64, u64) {
    crate::engine::network::counters::interface_bytes(pid)
        .iter()
        .filter(|(name, _)| name.as_str() != "lo")
        .fold((0, 0), |(rx, tx), (_, b)| (rx + b.rx, tx + b.tx))
}

fn block_v1(dir: &Path) -> (u64, u64) {
    let text = fs::read_to_string(dir.join("blkio.throttle.io_service_bytes")).unwrap_or_default();
    let mut r = 0;
    let mut w = 0;
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() == 3 {
            let n: u64 = f[2].parse().unwrap_or(0);
            match f[1] {
                "Read" => r += n,
                "Write" => w += n,
                _ => {}
            }
        }
    }
    (r, w)
}

fn block_v2(dir: &Path) -> (u64, u64) {
    let text = fs::read_to_string(dir.join("io.stat")).unwrap_or_default();
    let mut r = 0;
    let mut w = 0;
    for l in text.lines() {
        for kv in l.split_whitespace().skip(1) {
            if let Some(v) = kv.strip_prefix("rbytes=") {
                r += v.parse().unwrap_or(0);
            } else if let Some(v) = kv.strip_prefix("wbytes=") {
                w += v.parse().unwrap_or(0);
            }
        }
    }
    (r, w)
}

/// Reads a container's counters now, with the CPU % of the last second from its shim's
/// samples (`paths` locates them).
pub fn sample_with_recent_cpu(paths: &Paths, c: &Container) -> StatsSample {
    let at_ns = cpu_samples::monotonic_ns();
    let mut s = sample(c);
    if s.running
        && let Some(samples) = cpu_samples::read(&paths.cpu_samples(c.id()))
    {
        let now = cpu_samples::CpuSample {
            at_ns,
            usage_ns: s.cpu_total_ns,
        };
        s.recent_cpu_percent = cpu_samples::recent_percent(samples, now);
    }
    s
}

/// Reads a container's counters now.
pub fn sample(c: &Container) -> StatsSample {
    let mut s = StatsSample {
        id: c.config.id.clone(),
        name: c.config.name.clone(),
        running: c.state.status.has_shim(),
        at: Some(Instant::now()),
        ..StatsSample::default()
    };
    let host = host_memory();
    s.memory_limit = host;
    if !s.running {
        return s;
    }
    let cg = Cgroup::for_container(&c.config.id);
    s.cpu_total_ns = cg.cpu_usage_ns().unwrap_or(0);
    match cg.layout() {
        Layout::V1 => {
            if let Some(d) = cg.controller_dir("memory") {
                let usage = read_u64(&d.join("memory.usage_in_bytes")).unwrap_or(0);
                let inactive = keyed(&d.join("memory.stat"), "total_inactive_file").unwrap_or(0);
                s.memory_usage = usage.saturating_sub(inactive);
                let limit = read_u64(&d.join("memory.limit_in_bytes")).unwrap_or(u64::MAX);
                s.memory_limit = limit.min(host);
            }
            if let Some(d) = cg.controller_dir("blkio") {
                (s.block_read, s.block_write) = block_v1(&d);
            }
            if let Some(d) = cg.controller_dir("pids") {
                s.pids = read_u64(&d.join("pids.current")).unwrap_or(0);
            }
        }
        Layout::V2 => {
            if let Some(d) = cg.controller_dir("unified") {
                let usage = read_u64(&d.join("memory.current")).unwrap_or(0);
                let inactive = keyed(&d.join("memory.stat"), "inactive_file").unwrap_or(0);
                s.memory_usage = usage.saturating_sub(inactive);
                s.memory_limit = read_u64(&d.join("memory.max"))
                    .unwrap_or(u64::MAX)
                    .min(host);
                (s.block_read, s.block_write) = block_v2(&d);
                s.pids = read_u64(&d.join("pids.current")).unwrap_or(0);
            }
        }
    }
    s.memory_limited = s.memory_limit < host;
    if c.state.pid > 0 {
        (s.net_rx, s.net_tx) = net_bytes(c.state.pid);
    }
    s
}

impl Engine {
    /// Reads the counters of one container, with the CPU % of the last second.
    pub fn stats(&self, name_or_id: &str) -> Result<StatsSample> {
        let c = self.container(name_or_id)?;
        Ok(sample_with_recent_cpu(self.paths(), &c))
    }

    /// Reads the counters of a container already looked up, with the CPU % of the last
    /// second (for listings of many containers).
    pub fn stats_of(&self, c: &Container) -> StatsSample {
        sample_with_recent_cpu(self.paths(), c)
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

    #[test]
    fn own_network_counters_parse() {
        // Our own namespace: the reader must not fail on the real file format.
        let (rx, tx) = net_bytes(std::process::id() as i32);
        let _ = (rx, tx);
        assert!(host_memory() > 0);
    }
}
