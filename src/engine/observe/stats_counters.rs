//! The counter files a stats sample reads (cgroup v1 and v2, the network namespace's
//! `net/dev`) and their parsers, shared by the one-off reader (by path, [`ByPath`]) and the
//! probe that keeps the files open (`stats_probe`).

use super::stats::StatsSample;
use crate::engine::runtime::cgroups::{Cgroup, Layout, parse_cpu_usage};
use std::fs;
use std::path::PathBuf;

/// A number alone in a file (`memory.current`, `pids.current`); `None` for `max`.
fn parse_u64(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// The value of `key` in `key value` lines (memory.stat, cpu.stat, memory.events).
fn parse_keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// Total memory of the host in bytes.
pub(super) fn host_memory() -> u64 {
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

/// Sums rx/tx bytes of every interface but `lo` in the text of a `net/dev` file.
fn parse_net_bytes(text: &str) -> (u64, u64) {
    crate::engine::network::counters::parse_net_dev(text)
        .iter()
        .filter(|(name, _)| name.as_str() != "lo")
        .fold((0, 0), |(rx, tx), (_, b)| (rx + b.rx, tx + b.tx))
}

fn parse_block_v1(text: &str) -> (u64, u64) {
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

fn parse_block_v2(text: &str) -> (u64, u64) {
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

/// The files one sample reads: the container's cgroup counters and its network
/// namespace's interface counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counter {
    /// v1 `cpuacct.usage`, v2 `cpu.stat`.
    Cpu,
    /// v1 `memory.usage_in_bytes`, v2 `memory.current`.
    MemoryUsage,
    /// `memory.stat`.
    MemoryStat,
    /// v1 `memory.limit_in_bytes`, v2 `memory.max`.
    MemoryLimit,
    /// v1 `blkio.throttle.io_service_bytes`, v2 `io.stat`.
    Block,
    /// `pids.current`.
    Pids,
    /// `/proc/<pid>/net/dev`.
    NetDev,
}

impl Counter {
    /// Every counter, in the order a sample reads them (`as usize` indexes this).
    pub(super) const ALL: [Counter; 7] = [
        Counter::Cpu,
        Counter::MemoryUsage,
        Counter::MemoryStat,
        Counter::MemoryLimit,
        Counter::Block,
        Counter::Pids,
        Counter::NetDev,
    ];

    /// Where this counter of the container with cgroup `cg` and first process `pid` is
    /// (`None` when its controller is not mounted or the container has no process).
    pub(super) fn path(self, cg: &Cgroup, pid: i32) -> Option<PathBuf> {
        let v1 = cg.layout() == Layout::V1;
        let in_dir = |controller: &str, v1_file: &str, v2_file: &str| {
            let (controller, file) = if v1 {
                (controller, v1_file)
            } else {
                ("unified", v2_file)
            };
            cg.controller_dir(controller).map(|d| d.join(file))
        };
        match self {
            Counter::Cpu => cg.cpu_usage_file(),
            Counter::MemoryUsage => in_dir("memory", "memory.usage_in_bytes", "memory.current"),
            Counter::MemoryStat => in_dir("memory", "memory.stat", "memory.stat"),
            Counter::MemoryLimit => in_dir("memory", "memory.limit_in_bytes", "memory.max"),
            Counter::Block => in_dir("blkio", "blkio.throttle.io_service_bytes", "io.stat"),
            Counter::Pids => in_dir("pids", "pids.current", "pids.current"),
            Counter::NetDev => (pid > 0).then(|| PathBuf::from(format!("/proc/{pid}/net/dev"))),
        }
    }
}

/// Gives the text of a counter file as it reads now (`None` when it cannot be read): by
/// path for a one-off sample, from files kept open for a [`super::stats_probe::StatsProbe`].
pub(super) trait CounterSource {
    /// The current text of `counter`.
    fn text(&mut self, counter: Counter) -> Option<&str>;
}

/// Reads each counter file by its path.
pub(super) struct ByPath {
    /// The container's cgroup.
    pub(super) cgroup: Cgroup,
    /// Its first process.
    pub(super) pid: i32,
    /// The last text read.
    pub(super) text: String,
}

impl CounterSource for ByPath {
    fn text(&mut self, counter: Counter) -> Option<&str> {
        self.text = fs::read_to_string(counter.path(&self.cgroup, self.pid)?).ok()?;
        Some(&self.text)
    }
}

/// Fills the counters of a running container's sample `s` from `src` (cgroup `layout`).
pub(super) fn read_counters(s: &mut StatsSample, layout: Layout, src: &mut impl CounterSource) {
    let host = host_memory();
    s.cpu_total_ns = src
        .text(Counter::Cpu)
        .and_then(|t| parse_cpu_usage(layout, t))
        .unwrap_or(0);
    let usage = src
        .text(Counter::MemoryUsage)
        .and_then(parse_u64)
        .unwrap_or(0);
    let inactive_key = match layout {
        Layout::V1 => "total_inactive_file",
        Layout::V2 => "inactive_file",
    };
    let inactive = src
        .text(Counter::MemoryStat)
        .and_then(|t| parse_keyed(t, inactive_key))
        .unwrap_or(0);
    s.memory_usage = usage.saturating_sub(inactive);
    s.memory_limit = src
        .text(Counter::MemoryLimit)
        .and_then(parse_u64)
        .unwrap_or(u64::MAX)
        .min(host);
    (s.block_read, s.block_write) = src
        .text(Counter::Block)
        .map(|t| match layout {
            Layout::V1 => parse_block_v1(t),
            Layout::V2 => parse_block_v2(t),
        })
        .unwrap_or((0, 0));
    s.pids = src.text(Counter::Pids).and_then(parse_u64).unwrap_or(0);
    s.memory_limited = s.memory_limit < host;
    (s.net_rx, s.net_tx) = src
        .text(Counter::NetDev)
        .map(parse_net_bytes)
        .unwrap_or((0, 0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_network_counters_parse() {
        // Our own namespace: the reader must not fail on the real file format.
        let text = fs::read_to_string("/proc/self/net/dev").expect("net/dev");
        let _ = parse_net_bytes(&text);
        assert!(host_memory() > 0);
    }

    #[test]
    fn parsers_read_each_format() {
        assert_eq!(parse_u64("4096\n"), Some(4096));
        assert_eq!(parse_u64("max\n"), None);
        let stat = "cache 10\ninactive_file 300\ntotal_inactive_file 700\n";
        assert_eq!(parse_keyed(stat, "inactive_file"), Some(300));
        assert_eq!(parse_keyed(stat, "total_inactive_file"), Some(700));
        assert_eq!(parse_keyed(stat, "absent"), None);
        let v1 = "8:0 Read 100\n8:0 Write 20\n8:0 Sync 120\n8:16 Read 5\nTotal 125\n";
        assert_eq!(parse_block_v1(v1), (105, 20));
        let v2 = "8:0 rbytes=100 wbytes=20 rios=1 wios=1\n8:16 rbytes=5 wbytes=0\n";
        assert_eq!(parse_block_v2(v2), (105, 20));
        let dev = "h1\nh2\n    lo: 100 2 0 0 0 0 0 0 100 2 0 0 0 0 0 0\n  eth0: 5000 40 0 0 0 0 0 0 3000 30 0 0 0 0 0 0\n";
        assert_eq!(parse_net_bytes(dev), (5000, 3000));
    }
}
