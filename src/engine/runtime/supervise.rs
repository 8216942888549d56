//! The shim's event loop while one run of the container lasts: copy output to the log and to
//! attached clients, forward clients' input and terminal sizes, start and follow exec'd
//! processes, accept new clients, and notice the exit.

use super::cgroups::Cgroup;
pub use super::client::Client;
use super::cpu_samples::CpuSampler;
use super::exec::{self, ExecRequest};
use super::launch::ShimStdio;
use super::logwriter::LogWriter;
use super::protocol::{FrameKind, encode, parse_resize};
use crate::engine::container::ContainerConfig;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;
use std::io::{ErrorKind, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
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
fn pidfd_open(pid: Pid) -> std::io::Result<OwnedFd> {
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
    /// More descriptors to serve (the network service).
    pub extra: Option<&'a mut dyn Poller>,
    /// The once-a-second CPU sampler for `stats`.
    pub cpu: Option<&'a mut CpuSampler>,
}

#[derive(Clone, Copy)]
enum Slot {
    Out(usize, usize),
    Exit(usize),
    Listener,
    Client(usize),
    Extra(usize),
}

struct Loop<'a> {
    log: &'a mut LogWriter,
    listener: &'a UnixListener,
    clients: &'a mut Vec<Client>,
    exec: ExecContext<'a>,
    extra: Option<&'a mut dyn Poller>,
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
                if revents.is_empty() {
                    continue;
                }
                match slot {
                    Slot::Out(p, s) => self.read_output(p, s, &mut buf),
                    Slot::Exit(p) => self.procs[p].reap(),
                    Slot::Listener => {
                        while let Ok((s, _)) = self.listener.accept() {
                            // Only root (or the shim's own user) may attach or exec.
                            if crate::engine::store::private::peer_is_trusted(&s) {
                                self.clients.push(Client::new(s));
                            }
                        }
                    }
                    Slot::Extra(token) => {
                        if let Some(x) = self.extra.as_mut() {
                            x.ready(token, revents);
                        }
                    }
                    Slot::Client(i) => {
                        if !self.clients[i].gone && !self.serve_client(i, revents, &mut buf) {
                            self.clients[i].gone = true;
                        }
                    }
                }
            }
            self.finish_execs();
            self.clients.retain(|c| !c.gone);
            let _ = self.log.flush();
        }
        let _ = self.log.flush();
        self.procs[0].status.unwrap_or(255)
    }

    /// Polls every source; returns the slots and their readiness.
    fn wait(&mut self) -> Option<(Vec<Slot>, Vec<PollFlags>)> {
        let mut slots = Vec::new();
        let mut fds: Vec<PollFd> = Vec::new();
        let mut deadline: Option<Instant> = None;
        for (pi, p) in self.procs.iter().enumerate() {
            for (si, fd) in p.out.iter().enumerate() {
                if let Some(fd) = fd {
                    fds.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
                    slots.push(Slot::Out(pi, si));
                }
            }
            if let (None, Some(pf)) = (p.status, &p.pidfd) {
                fds.push(PollFd::new(pf.as_fd(), PollFlags::POLLIN));
                slots.push(Slot::Exit(pi));
            }
            if let Some(d) = p.drain_until {
                deadline = Some(deadline.map_or(d, |x: Instant| x.min(d)));
            }
        }
        fds.push(PollFd::new(self.listener.as_fd(), PollFlags::POLLIN));
        slots.push(Slot::Listener);
        for (i, c) in self.clients.iter().enumerate() {
            let mut ev = PollFlags::POLLIN;
            if !c.out.is_empty() {
                ev |= PollFlags::POLLOUT;
            }
            // SAFETY: the client's socket outlives this poll call.
            let bfd = unsafe { BorrowedFd::borrow_raw(c.stream.as_raw_fd()) };
            fds.push(PollFd::new(bfd, ev));
            slots.push(Slot::Client(i));
        }
        if let Some(x) = self.extra.as_mut() {
            if let Some(w) = x.tick() {
                let at = Instant::now() + w;
                deadline = Some(deadline.map_or(at, |d| d.min(at)));
            }
            for (fd, ev, token) in x.interest() {
                // SAFETY: the service owns these sockets and keeps them open until its next
                // `ready`/`interest` call, after this poll returns.
                fds.push(PollFd::new(unsafe { BorrowedFd::borrow_raw(fd) }, ev));
                slots.push(Slot::Extra(token));
            }
        }
        // Idle (nothing but the sampler's timer to wait for): after IDLE_TRIM without
        // activity, give the clean pages back once.
        let trim_at = (deadline.is_none() && !self.trimmed).then(|| self.active_at + IDLE_TRIM);
        let wake = [deadline, trim_at, self.cpu.as_ref().map(|c| c.due())]
            .into_iter()
            .flatten()
            .min();
        let timeout = match wake {
            // Rounded up to the next millisecond: no early wake-up to wait again.
            Some(d) => PollTimeout::try_from(
                d.saturating_duration_since(Instant::now()) + Duration::from_micros(999),
            )
            .unwrap_or(PollTimeout::ZERO),
            None => PollTimeout::NONE,
        };
        let n = poll(&mut fds, timeout).ok()?;
        let now = Instant::now();
        if n > 0 {
            self.trimmed = false;
            self.active_at = now;
        } else if trim_at.is_some_and(|t| now >= t) {
            // Nothing happened for a while: what stays resident while idle is the shim's
            // own memory, not the code pages setup and the last activity touched.
            self.clean_pages = super::idle::drop_clean_file_pages();
            self.trimmed = true;
        }
        let sampled = self.cpu.as_mut().is_some_and(|c| c.tick());
        if sampled && n == 0 && self.trimmed {
            // Idle still: the few code pages the sample (and this loop) faulted back in
            // go again, so an idle shim stays as small as before sampling existed.
            self.clean_pages.drop_again();
        }
        let ready = fds
            .iter()
            .map(|f| f.revents().unwrap_or(PollFlags::empty()))
            .collect();
        Some((slots, ready))
    }

    fn read_output(&mut self, p: usize, s: usize, buf: &mut [u8]) {
        let Some(fd) = &self.procs[p].out[s] else {
            return;
        };
        match nix::unistd::read(fd, buf) {
            Ok(0) => self.procs[p].out[s] = None,
            Ok(n) => {
                let data = &buf[..n];
                let kind = if s == 0 {
                    FrameKind::Stdout
                } else {
                    FrameKind::Stderr
                };
                let frame = encode(kind, data);
                let owner = (p > 0).then_some(self.procs[p].pid);
                if owner.is_none() {
                    let _ = self.log.write(s, data);
                }
                for c in self
                    .clients
                    .iter_mut()
                    .filter(|c| !c.gone && c.exec == owner)
                {
                    if !c.send(&frame) {
                        c.gone = true;
                    }
                }
            }
            Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
            // EIO: the terminal's last writer is gone.
            Err(_) => self.procs[p].out[s] = None,
        }
    }

    /// Sends the exit code of finished exec'd processes to their clients and forgets them.
    fn finish_execs(&mut self) {
        let mut i = 1;
        while i < self.procs.len() {
            if self.procs[i].finished() {
                let p = self.procs.remove(i);
                let frame = encode(FrameKind::Exit, &p.status.unwrap_or(255).to_be_bytes());
                for c in self.clients.iter_mut().filter(|c| c.exec == Some(p.pid)) {
                    let _ = c.send(&frame);
                    c.exec = None;
                    c.gone = true;
                }
            } else {
                i += 1;
            }
        }
    }

    /// The process a client's input goes to.
    fn target(&mut self, exec: Option<Pid>) -> Option<&mut Proc> {
        match exec {
            None => self.procs.first_mut(),
            Some(pid) => self.procs.iter_mut().find(|p| p.pid == pid),
        }
    }

    fn start_exec(&mut self, i: usize, payload: &[u8]) -> bool {
        let req: ExecRequest = match serde_json::from_slice(payload) {
            Ok(r) => r,
            Err(_) => return false,
        };
        let ctx = &self.exec;
        match exec::spawn(
            &req,
            self.procs[0].pid,
            ctx.config,
            ctx.cgroup,
            ctx.privileges,
        ) {
            Ok(p) => {
                let started = encode(FrameKind::Started, &(p.pid.as_raw() as u32).to_be_bytes());
                if !self.clients[i].send(&started) {
                    self.clients[i].gone = true;
                }
                self.clients[i].exec = Some(p.pid);
                self.procs.push(Proc::new(p.pid, p.stdio));
                true
            }
            Err(e) => {
                let c = &mut self.clients[i];
                let _ = c.send(&encode(
                    FrameKind::Stderr,
                    format!("{}\n", e.message).as_bytes(),
                ));
                let _ = c.send(&encode(FrameKind::Exit, &e.code.to_be_bytes()));
                c.gone = true;
                true
            }
        }
    }

    /// Handles a client's readiness; false when it should be dropped.
    fn serve_client(&mut self, i: usize, revents: PollFlags, buf: &mut [u8]) -> bool {
        let c = &mut self.clients[i];
        if revents.contains(PollFlags::POLLOUT) && !c.flush_some() {
            return false;
        }
        if !revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
            return true;
        }
        match c.stream.read(buf) {
            Ok(0) => return false,
            Ok(n) => c.decoder.feed(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(_) => return false,
        }
        loop {
            let exec = self.clients[i].exec;
            let frame = match self.clients[i].decoder.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return false,
            };
            match frame {
                (FrameKind::Exec, payload) if exec.is_none() && !self.start_exec(i, &payload) => {
                    return false;
                }
                (FrameKind::Stdin, data) => {
                    if let Some(p) = self.target(exec)
                        && let Some(fd) = &p.stdin
                        // Stdin is written blocking: a process not reading its input
                        // holds back only the client that sends it.
                        && nix::unistd::write(fd, &data).is_err()
                    {
                        p.stdin = None;
                    }
                }
                (FrameKind::CloseStdin, _) => {
                    if let Some(p) = self.target(exec) {
                        p.stdin = None;
                    }
                }
                (FrameKind::Resize, data) => {
                    if let (Some(p), Some((rows, cols))) = (self.target(exec), parse_resize(&data))
                        && let Some(pty) = &p.pty
                    {
                        super::tty::set_size(pty, rows, cols);
                    }
                }
                _ => {}
            }
        }
        true
    }
}

/// Sends the exit code to every client and gives them up to two seconds to take their output.
pub fn send_exit(clients: &mut Vec<Client>, code: i32) {
    let frame = encode(FrameKind::Exit, &code.to_be_bytes());
    clients.retain_mut(|c| c.send(&frame));
    let deadline = Instant::now() + Duration::from_secs(2);
    while clients.iter().any(|c| !c.out.is_empty()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        clients.retain_mut(|c| c.flush_some());
    }
    clients.clear();
}
