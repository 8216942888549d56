//! The shim's event loop while one run of the container lasts: copy output to the log and to
//! attached clients, forward clients' input and terminal sizes, start and follow exec'd
//! processes, accept new clients, and notice the exit.
//!
//! One round of the loop: `wait` polls every source (the processes' output and exit, the
//! listener, the clients, the network service, the CPU sampler's timer), `dispatch` hands
//! each ready one to its handler (`clients`: output, attach and exec requests), and
//! finished exec'd processes are told to their clients.

mod clients;
mod wait;

pub use clients::send_exit;

use super::cgroups::Cgroup;
pub use super::client::Client;
use super::cpu_samples::CpuSampler;
use super::launch::ShimStdio;
use super::logwriter::LogWriter;
use crate::engine::container::ContainerConfig;
use nix::poll::PollFlags;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

/// More descriptors for the shim's poll loop (the network service: DNS and port proxies).
pub trait Poller {
    /// Descriptors to poll now, each with the events wanted and a token for `ready`.
    fn interest(&mut self) -> Vec<(std::os::fd::RawFd, PollFlags, usize)>;
    /// Handles the readiness of `token` (from the last `interest`).
    fn ready(&mut self, token: usize, revents: PollFlags);
    /// Called after every poll round; returns how soon it wants to be called again.
    fn tick(&mut self) -> Option<Duration>;
}

/// Opens a pidfd for `pid`: readable when the process exits.
pub fn pidfd_open(pid: Pid) -> std::io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the kernel just gave us this fd and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// The exit code Docker reports for a wait status.
pub fn exit_code(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 255,
    }
}

/// A process the loop follows: the container's first process or an exec'd one.
struct Proc {
    pid: Pid,
    pidfd: Option<OwnedFd>,
    /// Output streams (stdout, stderr); `None` once closed.
    out: [Option<OwnedFd>; 2],
    stdin: Option<OwnedFd>,
    pty: Option<OwnedFd>,
    status: Option<i32>,
    /// After the exit, how long to keep reading what is left in the pipes.
    drain_until: Option<Instant>,
}

impl Proc {
    fn new(pid: Pid, stdio: ShimStdio) -> Proc {
        Proc {
            pid,
            pidfd: pidfd_open(pid).ok(),
            out: [Some(stdio.stdout), stdio.stderr],
            stdin: stdio.stdin,
            pty: stdio.pty,
            status: None,
            drain_until: None,
        }
    }
    fn finished(&self) -> bool {
        self.status.is_some()
            && (self.out.iter().all(Option::is_none)
                || self.drain_until.is_some_and(|d| Instant::now() >= d))
    }
    fn reap(&mut self) {
        self.status = Some(waitpid(self.pid, None).map(exit_code).unwrap_or(255));
        // Whatever the processes wrote is in the pipes now; give a writer that outlived
        // the process a moment, then stop.
        self.drain_until = Some(Instant::now() + Duration::from_millis(500));
    }
}

/// What the loop needs to start exec'd processes.
pub struct ExecContext<'a> {
    /// The container's configuration (user, env, working directory).
    pub config: &'a ContainerConfig,
    /// Its cgroup.
    pub cgroup: &'a Cgroup,
    /// Its capabilities and seccomp filter.
    pub privileges: &'a super::privileges::Privileges,
}

/// Everything one run needs.
pub struct Run<'a> {
    /// The first process.
    pub pid: Pid,
    /// The shim's side of its stdio.
    pub stdio: ShimStdio,
    /// The log.
    pub log: &'a mut LogWriter,
    /// The socket clients attach on.
    pub listener: &'a UnixListener,
    /// Attached clients (kept across runs).
    pub clients: &'a mut Vec<Client>,
    /// For `exec`.
    pub exec: ExecContext<'a>,
    /// More descriptors to serve (the network service, the healthcheck).
    pub extra: Vec<&'a mut dyn Poller>,
    /// The once-a-second CPU sampler for `stats`.
    pub cpu: Option<&'a mut CpuSampler>,
}

#[derive(Clone, Copy)]
enum Slot {
    Out(usize, usize),
    Exit(usize),
    Listener,
    Client(usize),
    /// A descriptor of `extra[.0]`, with its token.
    Extra(usize, usize),
}

struct Loop<'a> {
    log: &'a mut LogWriter,
    listener: &'a UnixListener,
    clients: &'a mut Vec<Client>,
    exec: ExecContext<'a>,
    extra: Vec<&'a mut dyn Poller>,
    cpu: Option<&'a mut CpuSampler>,
    /// Index 0 is the container's first process; the rest are exec'd processes.
    procs: Vec<Proc>,
    /// Whether the clean code pages were dropped since the last activity (see `idle`).
    trimmed: bool,
    /// When a descriptor was last ready (the sampler's timer is no activity).
    active_at: Instant,
    /// The pages dropped when the loop went idle, dropped again after each sample.
    clean_pages: super::idle::CleanPages,
}

/// How long the loop waits with nothing to do before it gives its clean pages back.
const IDLE_TRIM: Duration = Duration::from_millis(500);

impl Run<'_> {
    /// Runs until the first process has exited and its output is drained; returns its exit
    /// code. Exec'd processes die with the container (its pid namespace ends).
    pub fn until_exit(self) -> i32 {
        let Run {
            pid,
            stdio,
            log,
            listener,
            clients,
            exec,
            extra,
            cpu,
        } = self;
        let mut l = Loop {
            log,
            listener,
            clients,
            exec,
            extra,
            cpu,
            procs: vec![Proc::new(pid, stdio)],
            trimmed: false,
            active_at: Instant::now(),
            clean_pages: Default::default(),
        };
        l.run_loop()
    }
}

impl Loop<'_> {
    fn run_loop(&mut self) -> i32 {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if self.procs[0].finished() {
                break;
            }
            if self.procs[0].pidfd.is_none() && self.procs[0].out.iter().all(Option::is_none) {
                // No pidfd (very old kernel): block on waitpid once the output closed.
                self.procs[0].reap();
                break;
            }
            let (slots, ready) = match self.wait() {
                Some(r) => r,
                None => continue,
            };
            for (slot, revents) in slots.into_iter().zip(ready) {
                if !revents.is_empty() {
                    self.dispatch(slot, revents, &mut buf);
                }
            }
            self.finish_execs();
            self.clients.retain(|c| !c.gone);
            let _ = self.log.flush();
        }
        let _ = self.log.flush();
        self.procs[0].status.unwrap_or(255)
    }

    /// Hands one ready source to what serves it.
    fn dispatch(&mut self, slot: Slot, revents: PollFlags, buf: &mut [u8]) {
        match slot {
            Slot::Out(p, s) => self.read_output(p, s, buf),
            Slot::Exit(p) => self.procs[p].reap(),
            Slot::Listener => self.accept_clients(),
            Slot::Extra(which, token) => {
                if let Some(x) = self.extra.get_mut(which) {
                    x.ready(token, revents);
                }
            }
            Slot::Client(i) => {
                if !self.clients[i].gone && !self.serve_client(i, revents, buf) {
                    self.clients[i].gone = true;
                }
            }
        }
    }
}
