//! CPU-time samples a shim keeps for `stats`: once a second it reads its container's
//! cgroup CPU counter and writes the last two readings to a small file beside its socket
//! (`/run/berth/<id>.cpu`), so `stats --no-stream` gets the CPU % of the last second from
//! one file read instead of reading twice with a wait between.
//!
//! The file is 40 bytes: four little-endian u64 (older sample's monotonic time and CPU
//! nanoseconds, then the newer's) and a check word. It is rewritten in place with one
//! `pwrite`; a reader that catches a write half done sees a wrong check word and reads
//! again.

use super::cgroups::{Cgroup, Layout, layout, parse_cpu_usage};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a shim samples.
pub const INTERVAL: Duration = Duration::from_secs(1);

const MAGIC: u64 = 0x6265_7274_6863_7075; // "berthcpu"
const LEN: usize = 40;

/// One reading of a container's CPU counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuSample {
    /// When, in nanoseconds of the system's monotonic clock (the same in every process).
    pub at_ns: u64,
    /// The CPU time the container had used, in nanoseconds.
    pub usage_ns: u64,
}

/// Now on the monotonic clock, in nanoseconds.
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn encode(older: Option<CpuSample>, newer: CpuSample) -> [u8; LEN] {
    let older = older.unwrap_or(CpuSample {
        at_ns: 0,
        usage_ns: 0,
    });
    let words = [older.at_ns, older.usage_ns, newer.at_ns, newer.usage_ns];
    let check = words.iter().fold(MAGIC, |c, w| c.rotate_left(7) ^ w);
    let mut out = [0u8; LEN];
    for (i, w) in words.iter().chain([check].iter()).enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    out
}

fn decode(bytes: &[u8]) -> Option<(Option<CpuSample>, CpuSample)> {
    if bytes.len() != LEN {
        return None;
    }
    let w: Vec<u64> = bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
        .collect();
    let check = w[..4].iter().fold(MAGIC, |c, x| c.rotate_left(7) ^ x);
    if check != w[4] {
        return None;
    }
    let older = (w[0] != 0).then_some(CpuSample {
        at_ns: w[0],
        usage_ns: w[1],
    });
    Some((
        older,
        CpuSample {
            at_ns: w[2],
            usage_ns: w[3],
        },
    ))
}

/// Reads the samples a shim wrote: the older (absent until the second sample) and the newer.
pub fn read(path: &Path) -> Option<(Option<CpuSample>, CpuSample)> {
    read_file(&File::open(path).ok()?)
}

/// Reads the samples from the shim's file already open (it is rewritten in place, so an
/// open file keeps showing the newest samples).
pub fn read_file(file: &File) -> Option<(Option<CpuSample>, CpuSample)> {
    let mut buf = [0u8; LEN];
    for _ in 0..3 {
        if let Ok(LEN) = file.read_at(&mut buf, 0)
            && let Some(s) = decode(&buf)
        {
            return Some(s);
        }
    }
    None
}

/// The CPU use in percent of one CPU (Docker's CPU %: 200 % is two CPUs busy) between a
/// shim's sample and a reading taken now (`now`): from the newest sample at least half a
/// second old, else from the older one. `None` when no sample is old enough.
pub fn recent_percent(samples: (Option<CpuSample>, CpuSample), now: CpuSample) -> Option<f64> {
    const MIN_SPAN: u64 = 500_000_000;
    let (older, newer) = samples;
    let from = [Some(newer), older]
        .into_iter()
        .flatten()
        .find(|s| now.at_ns.saturating_sub(s.at_ns) >= MIN_SPAN)?;
    let wall = (now.at_ns - from.at_ns) as f64;
    Some(now.usage_ns.saturating_sub(from.usage_ns) as f64 / wall * 100.0)
}

/// The shim's side: a timer that reads the container's CPU counter once a second and
/// writes the last two readings.
pub struct CpuSampler {
    path: PathBuf,
    out: File,
    counter: File,
    layout: Layout,
    last: Option<CpuSample>,
    next: Instant,
}

impl CpuSampler {
    /// Starts sampling `cgroup` into `path`, with a first sample now. `None` when the
    /// counter or the file cannot be opened (stats then show no recent CPU %).
    pub fn start(cgroup: &Cgroup, path: &Path) -> Option<CpuSampler> {
        let counter = File::open(cgroup.cpu_usage_file()?).ok()?;
        let out = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)
            .ok()?;
        let mut s = CpuSampler {
            path: path.to_path_buf(),
            out,
            counter,
            layout: layout(),
            last: None,
            next: Instant::now(),
        };
        s.sample();
        Some(s)
    }

    /// When the next sample is due.
    pub fn due(&self) -> Instant {
        self.next
    }

    /// Takes a sample if one is due; returns whether it did.
    pub fn tick(&mut self) -> bool {
        let due = Instant::now() >= self.next;
        if due {
            self.sample();
        }
        due
    }

    fn sample(&mut self) {
        let mut buf = [0u8; 256];
        // One pread from the start: cgroup files re-render on a read at offset 0.
        let usage = self
            .counter
            .read_at(&mut buf, 0)
            .ok()
            .and_then(|n| std::str::from_utf8(&buf[..n]).ok())
            .and_then(|t| parse_cpu_usage(self.layout, t));
        self.next = Instant::now() + INTERVAL;
        let Some(usage_ns) = usage else {
            return;
        };
        let now = CpuSample {
            at_ns: monotonic_ns(),
            usage_ns,
        };
        let _ = self.out.write_at(&encode(self.last, now), 0);
        self.last = Some(now);
    }

    /// Stops sampling and removes the file.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(at_ms: u64, usage_ms: u64) -> CpuSample {
        CpuSample {
            at_ns: at_ms * 1_000_000,
            usage_ns: usage_ms * 1_000_000,
        }
    }

    #[test]
    fn file_round_trip_and_torn_reads() {
        let bytes = encode(Some(s(1000, 5)), s(2000, 900));
        assert_eq!(decode(&bytes), Some((Some(s(1000, 5)), s(2000, 900))));
        assert_eq!(
            decode(&encode(None, s(2000, 900))),
            Some((None, s(2000, 900)))
        );
        // Half of a newer write over an older one: the check word catches it.
        let newer = encode(Some(s(2000, 900)), s(3000, 1800));
        let mut torn = bytes;
        torn[16..24].copy_from_slice(&newer[16..24]);
        assert_eq!(decode(&torn), None);
        assert_eq!(decode(&bytes[..39]), None);
    }

    #[test]
    fn percent_over_the_last_second() {
        // Busy: 1 s of CPU per second.
        let busy = (Some(s(1000, 0)), s(2000, 1000));
        let p = recent_percent(busy, s(2600, 1600)).expect("newest is 0.6 s old");
        assert!((p - 100.0).abs() < 0.01, "{p}");
        // The newest sample is too recent: measured from the older one.
        let p = recent_percent(busy, s(2100, 1100)).expect("older is 1.1 s old");
        assert!((p - 100.0).abs() < 0.01, "{p}");
        // Idle.
        let idle = (Some(s(1000, 7)), s(2000, 7));
        assert_eq!(recent_percent(idle, s(2700, 7)), Some(0.0));
        // Only one, too recent sample.
        assert_eq!(recent_percent((None, s(2000, 0)), s(2100, 50)), None);
    }
}
