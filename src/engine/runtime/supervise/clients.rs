//! The loop's clients and output: copying the processes' output to the log and to the
//! clients attached to them, accepting clients, serving their frames (stdin, resize, exec
//! requests), and telling them the exit.

use super::super::exec::{self, ExecRequest};
use super::super::protocol::{FrameKind, encode, parse_resize};
use super::{Client, Loop, Proc};
use nix::poll::PollFlags;
use nix::unistd::Pid;
use std::io::{ErrorKind, Read};
use std::time::{Duration, Instant};

impl Loop<'_> {
    /// Takes every pending connection on the listener from a trusted peer.
    pub(super) fn accept_clients(&mut self) {
        while let Ok((s, _)) = self.listener.accept() {
            // Only root (or the shim's own user) may attach or exec.
            if crate::engine::store::private::peer_is_trusted(&s) {
                self.clients.push(Client::new(s));
            }
        }
    }

    pub(super) fn read_output(&mut self, p: usize, s: usize, buf: &mut [u8]) {
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
    pub(super) fn finish_execs(&mut self) {
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
    pub(super) fn serve_client(&mut self, i: usize, revents: PollFlags, buf: &mut [u8]) -> bool {
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
                        super::super::tty::set_size(pty, rows, cols);
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
