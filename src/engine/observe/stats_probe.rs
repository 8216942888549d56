//! A stats reader for one running container that keeps its counter files open and re-reads
//! them with `pread` at offset 0 (cgroup and `/proc` seq files render afresh on such a
//! read): a sampler that reads many containers every second then costs no path lookups
//! and opens, only one read per file. Its samples are what [`super::stats::sample_with_recent_cpu`]
//! gives (which it falls back to), from the same parsers.
//!
//! A probe is tied to the container's first process: when that process exits (stop,
//! restart) the probe reads by path like a one-off sample, and [`StatsProbe::fits`] tells
//! the caller to build a new one for the container's new record.

use super::stats::{StatsSample, add_recent_cpu, blank_sample, sample_with_recent_cpu};
use super::stats_counters::{Counter, CounterSource, read_counters};
use crate::engine::Engine;
use crate::engine::container::Container;
use crate::engine::runtime::cgroups::{Cgroup, Layout};
use crate::engine::runtime::cpu_samples;
use crate::engine::runtime::supervise::pidfd_open;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::PathBuf;

/// The open counter files of one running container (see the module's doc).
#[derive(Debug)]
pub struct StatsProbe {
    /// The record the probe was built from (id, name, status, pid).
    container: Container,
    /// Readable once the container's first process has exited.
    pidfd: Option<OwnedFd>,
    layout: Layout,
    /// The counter files as opened, indexed like [`Counter::ALL`] (`None`: cannot be read).
    files: OpenCounters,
    /// The shim's CPU samples: opened when it exists, again when the shim replaced it.
    cpu_samples_path: PathBuf,
    cpu_samples: Option<File>,
    /// The process ran out of file descriptors while opening: read by path instead (what
    /// a one-off sample does), so that many containers never cost wrong figures.
    by_path: bool,
}

/// Whether an open failed for want of file descriptors (the process's or the system's).
fn is_out_of_fds(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

/// The counter files kept open, and the buffer they are read into.
#[derive(Debug)]
struct OpenCounters {
    files: Vec<Option<File>>,
    buf: Vec<u8>,
}

impl CounterSource for OpenCounters {
    fn text(&mut self, counter: Counter) -> Option<&str> {
        let file = self.files.get(counter as usize)?.as_ref()?;
        let n = pread_all(file, &mut self.buf).ok()?;
        std::str::from_utf8(&self.buf[..n]).ok()
    }
}

/// Reads the whole of `file` from offset 0 into `buf` (grown as needed); returns the length.
/// A short read ends it: seq files fill a read as far as they have text.
fn pread_all(file: &File, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    if buf.len() < 4096 {
        buf.resize(4096, 0);
    }
    let mut len = 0;
    loop {
        let n = file.read_at(&mut buf[len..], len as u64)?;
        len += n;
        if n == 0 || len < buf.len() {
            return Ok(len);
        }
        let grown = buf.len() * 2;
        buf.resize(grown, 0);
    }
}

impl StatsProbe {
    /// Opens the counter files of container `c` as its record is now (`cpu_samples_path`:
    /// its shim's CPU samples). A stopped container gets a probe with no files.
    fn open(c: &Container, cpu_samples_path: PathBuf) -> StatsProbe {
        let running = c.state.status.has_shim();
        let cgroup = Cgroup::for_container(&c.config.id);
        let pid = c.state.pid;
        let pidfd = (running && pid > 0)
            .then(|| pidfd_open(nix::unistd::Pid::from_raw(pid)).ok())
            .flatten();
        let mut out_of_fds = false;
        let files = Counter::ALL
            .iter()
            .map(|counter| {
                let path = counter.path(&cgroup, pid)?;
                if !running || pidfd.is_none() {
                    return None;
                }
                File::open(path)
                    .map_err(|e| out_of_fds |= is_out_of_fds(&e))
                    .ok()
            })
            .collect();
        let mut probe = StatsProbe {
            container: c.clone(),
            pidfd,
            layout: cgroup.layout(),
            files: OpenCounters {
                files,
                buf: Vec::new(),
            },
            cpu_samples_path,
            cpu_samples: None,
            by_path: out_of_fds,
        };
        probe.cpu_samples = probe.open_cpu_samples();
        probe
    }

    fn open_cpu_samples(&self) -> Option<File> {
        self.pidfd.as_ref()?;
        File::open(&self.cpu_samples_path).ok()
    }

    /// Whether this probe still reads container `c` as its record now is: the same
    /// container, name, status and first process, and that process has not exited. When
    /// not, build a new probe from `c`.
    pub fn fits(&self, c: &Container) -> bool {
        let mine = &self.container;
        mine.config.id == c.config.id
            && mine.config.name == c.config.name
            && mine.state.status.has_shim() == c.state.status.has_shim()
            && mine.state.pid == c.state.pid
            && !self.process_exited()
    }

    /// Whether the process the probe was opened for has exited (or could not be found).
    fn process_exited(&self) -> bool {
        let Some(fd) = &self.pidfd else {
            return self.container.state.status.has_shim();
        };
        let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
        matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
    }

    /// Reads the container's counters now, with the CPU % of the last second from its
    /// shim's samples: the same figures as [`Engine::stats_of`] on the probe's record.
    pub fn sample(&mut self) -> StatsSample {
        if self.by_path || self.process_exited() {
            // Its files may show a namespace and cgroup on their way out (or could not all
            // be opened): read by path.
            return sample_with_recent_cpu(&self.container, &self.cpu_samples_path);
        }
        let at_ns = cpu_samples::monotonic_ns();
        let mut s = blank_sample(&self.container);
        if !s.running {
            return s;
        }
        read_counters(&mut s, self.layout, &mut self.files);
        add_recent_cpu(&mut s, at_ns, self.recent_cpu_samples());
        s
    }

    /// The shim's samples, from its file kept open; opened again when it is missing or was
    /// removed (a shim writes it in place, but removes it when its process exits and a
    /// new run creates a new one).
    fn recent_cpu_samples(
        &mut self,
    ) -> Option<(Option<cpu_samples::CpuSample>, cpu_samples::CpuSample)> {
        let stale = match &self.cpu_samples {
            None => true,
            Some(f) => f.metadata().map(|m| m.nlink() == 0).unwrap_or(true),
        };
        if stale {
            self.cpu_samples = self.open_cpu_samples();
        }
        cpu_samples::read_file(self.cpu_samples.as_ref()?)
    }
}

impl Engine {
    /// A probe for the stats of container `c` (a record from a listing): keeps its counter
    /// files open so that repeated samples cost one read per file. Rebuild it when
    /// [`StatsProbe::fits`] says the container changed.
    pub fn stats_probe(&self, c: &Container) -> StatsProbe {
        StatsProbe::open(c, self.paths().cpu_samples(c.id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pread_at_zero_renders_a_seq_file_afresh_and_reads_it_whole() {
        // /proc/uptime is a seq file whose figures move: a second pread at 0 on the same
        // open file renders it afresh (a plain re-read at the end would give nothing).
        let f = File::open("/proc/uptime").expect("uptime");
        let mut buf = Vec::new();
        let n1 = pread_all(&f, &mut buf).expect("first read");
        let first = String::from_utf8_lossy(&buf[..n1]).to_string();
        std::thread::sleep(std::time::Duration::from_millis(30));
        let n2 = pread_all(&f, &mut buf).expect("second read");
        let second = String::from_utf8_lossy(&buf[..n2]).to_string();
        let up = |t: &str| -> f64 {
            t.split_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
                .expect("uptime figure")
        };
        assert!(up(&second) > up(&first), "{first} then {second}");
        // A file longer than the first buffer is read whole.
        let f = File::open("/proc/self/maps").expect("maps");
        let mut small = vec![0u8; 16];
        let n = pread_all(&f, &mut small).expect("maps");
        let whole = std::fs::read("/proc/self/maps").expect("maps");
        assert!(
            n > 16 && n.abs_diff(whole.len()) < 4096,
            "{n} vs {}",
            whole.len()
        );
    }
}
