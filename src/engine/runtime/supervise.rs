//! The shim's event loop while one run of the container lasts: copy output to the log and to
//! attached clients, forward clients' stdin, accept new clients, and notice the exit.

use super::logwriter::LogWriter;
use super::protocol::{Decoder, FrameKind, encode};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::{Duration, Instant};

/// A client's unsent bytes beyond this mean it stopped reading: it is dropped.
const MAX_CLIENT_BACKLOG: usize = 32 * 1024 * 1024;

/// An attached client.
pub struct Client {
    stream: UnixStream,
    out: Vec<u8>,
    decoder: Decoder,
    /// Found disconnected during this poll round; removed once the round is over, so the
    /// indices the round works with stay valid.
    gone: bool,
}

impl Client {
    /// Wraps an accepted connection.
    pub fn new(stream: UnixStream) -> Client {
        let _ = stream.set_nonblocking(true);
        Client {
            stream,
            out: Vec::new(),
            decoder: Decoder::default(),
            gone: false,
        }
    }

    /// Queues bytes and writes what the socket takes now. False if the client is gone.
    fn send(&mut self, data: &[u8]) -> bool {
        self.out.extend_from_slice(data);
        self.flush_some()
    }

    fn flush_some(&mut self) -> bool {
        while !self.out.is_empty() {
            match self.stream.write(&self.out) {
                Ok(0) => return false,
                Ok(n) => {
                    self.out.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return false,
            }
        }
        self.out.len() <= MAX_CLIENT_BACKLOG
    }
}

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

/// Everything one run needs.
pub struct Run<'a> {
    /// The first process.
    pub pid: Pid,
    /// Its stdout read end (None once closed).
    pub stdout: Option<OwnedFd>,
    /// Its stderr read end.
    pub stderr: Option<OwnedFd>,
    /// Its stdin write end (with `-i`).
    pub stdin: Option<OwnedFd>,
    /// The log.
    pub log: &'a mut LogWriter,
    /// The socket clients attach on.
    pub listener: &'a UnixListener,
    /// Attached clients (kept across runs).
    pub clients: &'a mut Vec<Client>,
    /// The network service, if the container has one.
    pub extra: Option<&'a mut dyn Poller>,
}

enum Slot {
    Out(usize),
    Exit,
    Listener,
    Client(usize),
    Extra(usize),
}

impl Run<'_> {
    /// Runs until the process has exited and its output is drained; returns the exit code.
    pub fn until_exit(mut self) -> i32 {
        let pidfd = pidfd_open(self.pid).ok();
        let mut status: Option<i32> = None;
        let mut drain_deadline: Option<Instant> = None;
        let mut buf = vec![0u8; 64 * 1024];
        if pidfd.is_none() {
            // No pidfd (very old kernel): block on waitpid after the output closes.
            status = None;
        }
        loop {
            let outputs_open = self.stdout.is_some() || self.stderr.is_some();
            if status.is_some()
                && (!outputs_open || drain_deadline.is_some_and(|d| Instant::now() >= d))
            {
                break;
            }
            if pidfd.is_none() && !outputs_open {
                status = Some(waitpid(self.pid, None).map(exit_code).unwrap_or(255));
                break;
            }
            let mut slots = Vec::new();
            let mut fds: Vec<PollFd> = Vec::new();
            for (i, fd) in [&self.stdout, &self.stderr].into_iter().enumerate() {
                if let Some(fd) = fd {
                    fds.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
                    slots.push(Slot::Out(i));
                }
            }
            if let (None, Some(p)) = (status, &pidfd) {
                fds.push(PollFd::new(p.as_fd(), PollFlags::POLLIN));
                slots.push(Slot::Exit);
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
            let mut wake = None;
            if let Some(x) = self.extra.as_mut() {
                wake = x.tick();
                for (fd, ev, token) in x.interest() {
                    // SAFETY: the service owns these sockets and keeps them open until
                    // its next `ready`/`interest` call, after this poll returns.
                    fds.push(PollFd::new(unsafe { BorrowedFd::borrow_raw(fd) }, ev));
                    slots.push(Slot::Extra(token));
                }
            }
            let deadline = match (drain_deadline, wake) {
                (Some(d), Some(w)) => Some(d.min(Instant::now() + w)),
                (d, w) => d.or(w.map(|w| Instant::now() + w)),
            };
            let timeout = match deadline {
                Some(d) => PollTimeout::try_from(d.saturating_duration_since(Instant::now()))
                    .unwrap_or(PollTimeout::ZERO),
                None => PollTimeout::NONE,
            };
            if poll(&mut fds, timeout).is_err() {
                continue;
            }
            let ready: Vec<(Slot, PollFlags)> = slots
                .into_iter()
                .zip(
                    fds.iter()
                        .map(|f| f.revents().unwrap_or(PollFlags::empty())),
                )
                .filter(|(_, r)| !r.is_empty())
                .collect();
            drop(fds);
            for (slot, revents) in ready {
                match slot {
                    Slot::Out(i) => self.read_output(i, &mut buf),
                    Slot::Exit => {
                        status = Some(waitpid(self.pid, None).map(exit_code).unwrap_or(255));
                        // Whatever the container's processes wrote is in the pipes now;
                        // give a writer that outlived pid 1 a moment, then stop.
                        drain_deadline = Some(Instant::now() + Duration::from_millis(500));
                    }
                    Slot::Listener => {
                        while let Ok((s, _)) = self.listener.accept() {
                            self.clients.push(Client::new(s));
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
            self.clients.retain(|c| !c.gone);
            let _ = self.log.flush();
        }
        let _ = self.log.flush();
        status.unwrap_or(255)
    }

    fn read_output(&mut self, i: usize, buf: &mut [u8]) {
        let slot = if i == 0 {
            &mut self.stdout
        } else {
            &mut self.stderr
        };
        let Some(fd) = slot else { return };
        match nix::unistd::read(&*fd, buf) {
            Ok(0) | Err(nix::errno::Errno::EBADF) => *slot = None,
            Ok(n) => {
                let data = &buf[..n];
                let _ = self.log.write(i, data);
                let frame = encode(
                    if i == 0 {
                        FrameKind::Stdout
                    } else {
                        FrameKind::Stderr
                    },
                    data,
                );
                for c in self.clients.iter_mut().filter(|c| !c.gone) {
                    if !c.send(&frame) {
                        c.gone = true;
                    }
                }
            }
            Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
            Err(_) => *slot = None,
        }
    }

    /// Handles a client's readiness; false when it should be dropped.
    fn serve_client(&mut self, i: usize, revents: PollFlags, buf: &mut [u8]) -> bool {
        let c = &mut self.clients[i];
        if revents.contains(PollFlags::POLLOUT) && !c.flush_some() {
            return false;
        }
        if revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
            match c.stream.read(buf) {
                Ok(0) => return false,
                Ok(n) => c.decoder.feed(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => return false,
            }
            loop {
                match c.decoder.next_frame() {
                    Ok(Some((FrameKind::Stdin, data))) => {
                        if let Some(fd) = &self.stdin {
                            // Stdin is written blocking: a container not reading its input
                            // holds back only the client that sends it.
                            if nix::unistd::write(fd, &data).is_err() {
                                self.stdin = None;
                            }
                        }
                    }
                    Ok(Some((FrameKind::CloseStdin, _))) => self.stdin = None,
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(_) => return false,
                }
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
