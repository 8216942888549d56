//! One healthcheck probe: started like an `exec` (the container's namespaces, cgroup, user,
//! environment and seccomp filter), its output collected as Docker keeps it, its exit seen
//! through a pidfd, and the whole process group killed when it outlives its timeout.

use super::super::exec::{ExecRequest, spawn_probe};
use super::super::supervise::ExecContext;
use crate::engine::container::health::{HealthResult, MAX_OUTPUT, truncate_output};
use chrono::{DateTime, Utc};
use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Instant;

/// A probe that runs.
pub(super) struct Probe {
    /// The exec helper (its exit code is the probe's).
    helper: Pid,
    /// Readable when the helper exits.
    pub(super) pidfd: Option<OwnedFd>,
    /// stdout and stderr; `None` once closed.
    pub(super) out: [Option<OwnedFd>; 2],
    /// What it wrote: `MAX_OUTPUT` bytes kept, and one more when there was more.
    output: Vec<u8>,
    /// When it started (wall clock, for the log; monotonic, for the timeout).
    pub(super) start: DateTime<Utc>,
    pub(super) started: Instant,
    /// The exit code once the helper was reaped.
    pub(super) status: Option<i32>,
}

/// Opens a pidfd for `pid`: readable when the process exits.
fn pidfd_open(pid: Pid) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
    // SAFETY: the kernel just gave us this fd and nothing else owns it.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

fn nonblocking(fd: &OwnedFd) {
    if let Ok(flags) = fcntl(fd, FcntlArg::F_GETFL) {
        let flags = OFlag::from_bits_truncate(flags) | OFlag::O_NONBLOCK;
        let _ = fcntl(fd, FcntlArg::F_SETFL(flags));
    }
}

impl Probe {
    /// Starts `argv` in the container whose first process is `target`. A probe that cannot
    /// start is a result at once (exit code -1 and the reason, as Docker records it).
    pub(super) fn start(
        argv: Vec<String>,
        target: Pid,
        exec: &ExecContext,
    ) -> Result<Probe, HealthResult> {
        let start = Utc::now();
        let started = Instant::now();
        let req = ExecRequest {
            argv,
            ..ExecRequest::default()
        };
        match spawn_probe(&req, target, exec.config, exec.cgroup, exec.privileges) {
            Ok(p) => {
                let out = [Some(p.stdio.stdout), p.stdio.stderr];
                out.iter().flatten().for_each(nonblocking);
                Ok(Probe {
                    pidfd: pidfd_open(p.pid),
                    helper: p.pid,
                    out,
                    output: Vec::new(),
                    start,
                    started,
                    status: None,
                })
            }
            Err(e) => Err(HealthResult {
                start,
                end: Utc::now(),
                exit_code: -1,
                output: e.message,
            }),
        }
    }

    /// The descriptors to poll, with the stream index (0, 1) or 2 for the exit.
    pub(super) fn fds(&self) -> Vec<(RawFd, usize)> {
        let mut v: Vec<(RawFd, usize)> = self
            .out
            .iter()
            .enumerate()
            .filter_map(|(i, fd)| fd.as_ref().map(|fd| (fd.as_raw_fd(), i)))
            .collect();
        if let (None, Some(pf)) = (self.status, &self.pidfd) {
            v.push((pf.as_raw_fd(), 2));
        }
        v
    }

    /// Reads what stream `s` has now (until it would block).
    pub(super) fn read(&mut self, s: usize) {
        let mut buf = [0u8; 4096];
        while let Some(fd) = &self.out[s] {
            match nix::unistd::read(fd, &mut buf) {
                Ok(0) => self.out[s] = None,
                Ok(n) => {
                    let room = (MAX_OUTPUT + 1).saturating_sub(self.output.len());
                    self.output.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(nix::errno::Errno::EINTR) => {}
                Err(nix::errno::Errno::EAGAIN) => return,
                Err(_) => self.out[s] = None,
            }
        }
    }

    /// Reaps the helper if it has exited; true once it has.
    pub(super) fn try_reap(&mut self) -> bool {
        if self.status.is_some() {
            return true;
        }
        match waitpid(self.helper, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => false,
            Ok(status) => {
                self.status = Some(super::super::supervise::exit_code(status));
                true
            }
            Err(_) => {
                self.status = Some(-1);
                true
            }
        }
    }

    /// The result once the helper exited: what is left in the pipes is read first (a
    /// process the probe left running may hold them open: not waited for).
    pub(super) fn result(&mut self) -> HealthResult {
        self.read(0);
        self.read(1);
        HealthResult {
            start: self.start,
            end: Utc::now(),
            exit_code: self.status.unwrap_or(-1),
            output: truncate_output(&self.output),
        }
    }

    /// Kills the probe and what it started (its process group, inside the container); the
    /// helper then reaps it and exits. Without the probe's pid the helper itself is killed.
    pub(super) fn kill(&mut self) {
        self.out = [None, None];
        let children =
            std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", self.helper.as_raw()))
                .unwrap_or_default();
        let probes: Vec<Pid> = children
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .map(Pid::from_raw)
            .collect();
        if probes.is_empty() {
            let _ = kill(self.helper, Signal::SIGKILL);
        }
        for p in probes {
            if killpg(p, Signal::SIGKILL).is_err() {
                let _ = kill(p, Signal::SIGKILL);
            }
        }
    }
}

/// Go's `time.Duration` text (`1s`, `1m30s`, `500ms`), as Docker's timeout message has it.
pub(super) fn go_duration(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".into();
    }
    if ns < 1_000_000_000 {
        let (unit, div) = match ns {
            n if n < 1_000 => ("ns", 1u128),
            n if n < 1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{}{unit}", fraction(ns, div));
    }
    let h = ns / 3_600_000_000_000;
    let m = ns / 60_000_000_000 % 60;
    let s = fraction(ns % 60_000_000_000, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, m) => format!("{m}m{s}s"),
        (h, m) => format!("{h}h{m}m{s}s"),
    }
}

/// `n / div` with its fraction, trailing zeros dropped (`1.5`, `2`).
fn fraction(n: u128, div: u128) -> String {
    let whole = n / div;
    let rest = n % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let frac = format!("{rest:0width$}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::go_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_go_prints_them() {
        assert_eq!(go_duration(Duration::from_secs(30)), "30s");
        assert_eq!(go_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(go_duration(Duration::from_secs(60)), "1m0s");
        assert_eq!(go_duration(Duration::from_secs(3600)), "1h0m0s");
        assert_eq!(go_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
    }
}
