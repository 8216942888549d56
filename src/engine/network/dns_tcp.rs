//! DNS over TCP for the embedded server (RFC 7766): a listener on 127.0.0.11:53 inside
//! the container's namespace, its connections, and the two-byte length framing. The
//! answers come from the same place as over UDP (the shim's `Service`); this module only
//! moves messages in and out, non-blocking, from the shim's poll loop.

use nix::poll::PollFlags;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// The embedded server's sockets, bound inside the container's namespace.
#[derive(Debug)]
pub struct DnsSockets {
    /// 127.0.0.11:53/udp.
    pub udp: UdpSocket,
    /// 127.0.0.11:53/tcp.
    pub tcp: TcpListener,
}

/// A connection idle this long is closed (RFC 7766 suggests seconds).
const IDLE: Duration = Duration::from_secs(10);
/// At most this many open connections; the oldest goes when another comes.
const MAX_CONNS: usize = 32;
/// The largest DNS message: a two-byte length.
const MAX_MSG: usize = 65535;

/// A non-blocking TCP connection carrying length-prefixed DNS messages (RFC 1035 4.2.2):
/// a client's connection here, and a forwarded query's to the upstream
/// (`dns_forward_tcp`).
pub(super) struct Conn {
    id: usize,
    stream: TcpStream,
    inbuf: Vec<u8>,
    out: Vec<u8>,
    last: Instant,
    closed: bool,
}

impl Conn {
    /// A connection on the non-blocking `stream`, known as `id`.
    pub(super) fn new(id: usize, stream: TcpStream) -> Conn {
        Conn {
            id,
            stream,
            inbuf: Vec::new(),
            out: Vec::new(),
            last: Instant::now(),
            closed: false,
        }
    }

    /// The descriptor to poll.
    pub(super) fn fd(&self) -> std::os::fd::RawFd {
        self.stream.as_raw_fd()
    }

    /// Whether something is still to be written.
    pub(super) fn wants_write(&self) -> bool {
        !self.out.is_empty()
    }

    /// Whether the peer closed the connection or it failed.
    pub(super) fn is_closed(&self) -> bool {
        self.closed
    }

    /// Queues `msg` with its length prefix and writes what the socket takes; a message
    /// too long for the prefix is dropped.
    pub(super) fn send(&mut self, msg: &[u8]) {
        let Ok(len) = u16::try_from(msg.len()) else {
            return;
        };
        self.out.extend_from_slice(&len.to_be_bytes());
        self.out.extend_from_slice(msg);
        self.flush();
    }

    /// Reads what is there; returns the complete messages.
    pub(super) fn read(&mut self) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 4096];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    self.closed = true;
                    break;
                }
                Ok(n) => {
                    self.inbuf.extend_from_slice(&buf[..n]);
                    if self.inbuf.len() > MAX_MSG + 2 {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.closed = true;
                    break;
                }
            }
        }
        self.last = Instant::now();
        let mut msgs = Vec::new();
        while self.inbuf.len() >= 2 {
            let len = usize::from(u16::from_be_bytes([self.inbuf[0], self.inbuf[1]]));
            if self.inbuf.len() < 2 + len {
                break;
            }
            msgs.push(self.inbuf[2..2 + len].to_vec());
            self.inbuf.drain(..2 + len);
        }
        msgs
    }

    /// Writes what the socket takes of what is queued.
    pub(super) fn flush(&mut self) {
        while !self.out.is_empty() {
            match self.stream.write(&self.out) {
                Ok(0) => {
                    self.closed = true;
                    return;
                }
                Ok(n) => {
                    self.out.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.closed = true;
                    self.out.clear();
                    return;
                }
            }
        }
    }
}

/// The TCP side of the embedded server.
#[derive(Default)]
pub struct TcpDns {
    listener: Option<TcpListener>,
    conns: Vec<Conn>,
    next: usize,
}

impl TcpDns {
    /// Serves on `listener` (non-blocking) from now on; connections of an earlier one go.
    pub fn new(listener: Option<TcpListener>) -> TcpDns {
        if let Some(l) = &listener {
            let _ = l.set_nonblocking(true);
        }
        TcpDns {
            listener,
            conns: Vec::new(),
            next: 1,
        }
    }

    /// The descriptors to poll, with sub-tokens for `ready` (0: the listener, else a
    /// connection's id).
    pub fn interest(&self, out: &mut Vec<(std::os::fd::RawFd, PollFlags, usize)>) {
        if let Some(l) = &self.listener {
            out.push((l.as_raw_fd(), PollFlags::POLLIN, 0));
        }
        for c in &self.conns {
            let mut ev = PollFlags::POLLIN;
            if c.wants_write() {
                ev |= PollFlags::POLLOUT;
            }
            out.push((c.fd(), ev, c.id));
        }
    }

    fn accept(&mut self) {
        let Some(l) = &self.listener else { return };
        while let Ok((stream, _)) = l.accept() {
            if stream.set_nonblocking(true).is_err() {
                continue;
            }
            if self.conns.len() >= MAX_CONNS {
                self.conns.remove(0);
            }
            self.conns.push(Conn::new(self.next, stream));
            self.next = self.next.wrapping_add(1).max(1);
        }
    }

    /// Handles readiness of sub-token `sub`; returns the queries that arrived, each with
    /// the id of its connection for `reply`.
    pub fn ready(&mut self, sub: usize, revents: PollFlags) -> Vec<(usize, Vec<u8>)> {
        if sub == 0 {
            self.accept();
            return Vec::new();
        }
        let Some(c) = self.conns.iter_mut().find(|c| c.id == sub) else {
            return Vec::new();
        };
        if revents.contains(PollFlags::POLLOUT) {
            c.flush();
        }
        let mut out = Vec::new();
        if revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
            out = c.read().into_iter().map(|m| (sub, m)).collect();
        }
        out
    }

    /// Sends `msg` on connection `id` (gone connections are skipped).
    pub fn reply(&mut self, id: usize, msg: &[u8]) {
        if let Some(c) = self.conns.iter_mut().find(|c| c.id == id) {
            c.send(msg);
        }
    }

    /// Drops closed and idle connections (a closed one keeps what it still has to send).
    pub fn sweep(&mut self) {
        self.conns.retain(|c| {
            let done = c.closed && c.out.is_empty();
            !done && c.last.elapsed() < IDLE
        });
    }

    /// Whether a connection is open (the shim's poll loop then wakes up to sweep it).
    pub fn busy(&self) -> bool {
        !self.conns.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framed_queries_in_and_answers_out() {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr");
        let mut t = TcpDns::new(Some(l));
        let mut client = TcpStream::connect(addr).expect("connect");
        // Two queries in one write, the second split: both arrive, whole.
        client
            .write_all(&[0, 3, b'a', b'b', b'c', 0, 2, b'x'])
            .expect("write");
        let mut got = Vec::new();
        for _ in 0..100 {
            t.ready(0, PollFlags::POLLIN);
            let ids: Vec<usize> = t.conns.iter().map(|c| c.id).collect();
            for id in ids {
                got.extend(t.ready(id, PollFlags::POLLIN));
            }
            if !got.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, b"abc");
        let id = got[0].0;
        client.write_all(b"y").expect("write");
        let mut more = Vec::new();
        for _ in 0..100 {
            more = t.ready(id, PollFlags::POLLIN);
            if !more.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(more, vec![(id, b"xy".to_vec())]);
        t.reply(id, b"hello");
        let mut buf = [0u8; 7];
        client.read_exact(&mut buf).expect("read");
        assert_eq!(&buf, b"\x00\x05hello");
    }
}
