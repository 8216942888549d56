//! Userland port proxies for published ports, driven by the shim's poll loop: a TCP proxy
//! splices each accepted connection to the container's address and back (socket, pipe,
//! socket: the bytes stay in the kernel); a UDP proxy keeps
//! one upstream socket per client address and relays datagrams both ways.

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, OFlag, SpliceFFlags, splice};
use nix::poll::PollFlags;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

/// Bytes buffered per direction before reading from that side pauses.
const MAX_BUFFER: usize = 256 * 1024;
/// A UDP flow without traffic for this long is forgotten.
const UDP_IDLE: Duration = Duration::from_secs(30);

/// A file descriptor to poll, the events wanted, and a token for `ready`.
pub type Interest = (RawFd, PollFlags, usize);

/// One direction's bytes on their way to a side: a pipe the other side's socket is
/// spliced into and this side's socket is spliced out of, so the payload never enters
/// the shim's memory (two copies less than read + write).
struct Side {
    s: TcpStream,
    /// The pipe holding bytes read from the other side, waiting to be written here.
    pipe_r: OwnedFd,
    pipe_w: OwnedFd,
    /// How many bytes are in the pipe.
    queued: usize,
    /// The pipe took nothing although it holds less than `MAX_BUFFER` (its slots are
    /// full of partial pages): stop reading into it until some bytes went out.
    full: bool,
    /// The other side has closed its writing half.
    eof_in: bool,
    shut: bool,
}

impl Side {
    fn new(s: TcpStream) -> std::io::Result<Side> {
        let (pipe_r, pipe_w) = nix::unistd::pipe2(OFlag::O_NONBLOCK | OFlag::O_CLOEXEC)?;
        // A bigger pipe moves more per call; the default (64 KiB) is fine if refused.
        let _ = nix::fcntl::fcntl(&pipe_w, FcntlArg::F_SETPIPE_SZ(MAX_BUFFER as i32));
        Ok(Side {
            s,
            pipe_r,
            pipe_w,
            queued: 0,
            full: false,
            eof_in: false,
            shut: false,
        })
    }

    /// Whether the pipe into this side can take more.
    fn room(&self) -> bool {
        !self.eof_in && !self.full && self.queued < MAX_BUFFER
    }
}

struct Conn {
    sides: [Side; 2],
    dead: bool,
}

/// One TCP published port.
pub struct TcpProxy {
    listener: TcpListener,
    target: SocketAddr,
    conns: Vec<Conn>,
}

impl TcpProxy {
    /// Binds `host` (the published address) and forwards to `target`.
    pub fn bind(host: SocketAddr, target: SocketAddr) -> std::io::Result<TcpProxy> {
        let listener = TcpListener::bind(host)?;
        listener.set_nonblocking(true)?;
        Ok(TcpProxy {
            listener,
            target,
            conns: Vec::new(),
        })
    }

    /// Descriptors to poll; tokens: 0 the listener, 1 + 2*i + side for connections.
    pub fn interest(&self, out: &mut Vec<Interest>) {
        out.push((self.listener.as_raw_fd(), PollFlags::POLLIN, 0));
        for (i, c) in self.conns.iter().enumerate() {
            for (k, side) in c.sides.iter().enumerate() {
                let other = &c.sides[1 - k];
                let mut ev = PollFlags::empty();
                if other.room() {
                    ev |= PollFlags::POLLIN;
                }
                if side.queued > 0 {
                    ev |= PollFlags::POLLOUT;
                }
                out.push((side.s.as_raw_fd(), ev, 1 + 2 * i + k));
            }
        }
    }

    /// Handles readiness of token `t`.
    pub fn ready(&mut self, t: usize, revents: PollFlags) {
        if t == 0 {
            while let Ok((client, _)) = self.listener.accept() {
                // The container is on a local bridge: connecting takes microseconds.
                let Ok(up) = TcpStream::connect_timeout(&self.target, Duration::from_secs(2))
                else {
                    continue;
                };
                let _ = client.set_nonblocking(true);
                let _ = up.set_nonblocking(true);
                let _ = client.set_nodelay(true);
                let _ = up.set_nodelay(true);
                let (Ok(a), Ok(b)) = (Side::new(client), Side::new(up)) else {
                    continue;
                };
                self.conns.push(Conn {
                    sides: [a, b],
                    dead: false,
                });
            }
            return;
        }
        let (i, k) = ((t - 1) / 2, (t - 1) % 2);
        let Some(c) = self.conns.get_mut(i) else {
            return;
        };
        if revents.contains(PollFlags::POLLOUT) {
            c.flush(k);
        }
        if revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
            c.read(k);
        }
        if revents.contains(PollFlags::POLLERR) && c.sides[k].queued == 0 {
            c.dead = true;
        }
    }

    /// Drops finished connections (after a poll round, so tokens stay valid during it).
    pub fn sweep(&mut self) {
        self.conns.retain(|c| !c.dead);
    }
}

const SPLICE: SpliceFFlags = SpliceFFlags::SPLICE_F_MOVE.union(SpliceFFlags::SPLICE_F_NONBLOCK);

impl Conn {
    /// Splices from side `k` into the other side's pipe and writes what it can.
    fn read(&mut self, k: usize) {
        loop {
            let to = &self.sides[1 - k];
            if !to.room() {
                break;
            }
            let want = MAX_BUFFER - to.queued;
            match splice(&self.sides[k].s, None, &to.pipe_w, None, want, SPLICE) {
                Ok(0) => {
                    self.sides[1 - k].eof_in = true;
                    break;
                }
                Ok(n) => self.sides[1 - k].queued += n,
                Err(Errno::EAGAIN) => {
                    // An empty pipe always has room: then the socket had nothing.
                    if self.sides[1 - k].queued > 0 {
                        self.sides[1 - k].full = true;
                    }
                    break;
                }
                Err(Errno::EINTR) => continue,
                Err(_) => {
                    self.dead = true;
                    return;
                }
            }
        }
        self.flush(1 - k);
    }

    /// Splices side `k`'s queued bytes out to its socket; passes on a close once they are
    /// all written.
    fn flush(&mut self, k: usize) {
        let side = &mut self.sides[k];
        while side.queued > 0 {
            match splice(&side.pipe_r, None, &side.s, None, side.queued, SPLICE) {
                Ok(0) => break,
                Ok(n) => {
                    side.queued -= n.min(side.queued);
                    side.full = false;
                }
                Err(Errno::EAGAIN) => break,
                Err(Errno::EINTR) => continue,
                Err(_) => {
                    self.dead = true;
                    return;
                }
            }
        }
        if side.queued == 0 && side.eof_in && !side.shut {
            let _ = side.s.shutdown(Shutdown::Write);
            side.shut = true;
        }
        if self.sides.iter().all(|s| s.shut) {
            self.dead = true;
        }
    }
}

struct Flow {
    client: SocketAddr,
    up: UdpSocket,
    last: Instant,
}

/// One UDP published port.
pub struct UdpProxy {
    sock: UdpSocket,
    target: SocketAddr,
    flows: Vec<Flow>,
}

impl UdpProxy {
    /// Binds `host` and relays to `target`.
    pub fn bind(host: SocketAddr, target: SocketAddr) -> std::io::Result<UdpProxy> {
        let sock = UdpSocket::bind(host)?;
        sock.set_nonblocking(true)?;
        Ok(UdpProxy {
            sock,
            target,
            flows: Vec::new(),
        })
    }

    /// Descriptors to poll; tokens: 0 the published socket, 1 + i the flows.
    pub fn interest(&self, out: &mut Vec<Interest>) {
        out.push((self.sock.as_raw_fd(), PollFlags::POLLIN, 0));
        for (i, f) in self.flows.iter().enumerate() {
            out.push((f.up.as_raw_fd(), PollFlags::POLLIN, 1 + i));
        }
    }

    /// Handles readiness of token `t`.
    pub fn ready(&mut self, t: usize, _revents: PollFlags) {
        let mut buf = [0u8; 65536];
        if t == 0 {
            while let Ok((n, from)) = self.sock.recv_from(&mut buf) {
                let idx = match self.flows.iter().position(|f| f.client == from) {
                    Some(i) => i,
                    None => {
                        let Ok(up) = UdpSocket::bind("0.0.0.0:0") else {
                            continue;
                        };
                        if up.connect(self.target).is_err() || up.set_nonblocking(true).is_err() {
                            continue;
                        }
                        self.flows.push(Flow {
                            client: from,
                            up,
                            last: Instant::now(),
                        });
                        self.flows.len() - 1
                    }
                };
                let f = &mut self.flows[idx];
                f.last = Instant::now();
                let _ = f.up.send(&buf[..n]);
            }
            return;
        }
        if let Some(f) = self.flows.get_mut(t - 1) {
            while let Ok(n) = f.up.recv(&mut buf) {
                f.last = Instant::now();
                let _ = self.sock.send_to(&buf[..n], f.client);
            }
        }
    }

    /// Forgets idle flows.
    pub fn sweep(&mut self) {
        self.flows.retain(|f| f.last.elapsed() < UDP_IDLE);
    }
}

/// A published port's proxy.
pub enum Proxy {
    /// TCP.
    Tcp(TcpProxy),
    /// UDP.
    Udp(UdpProxy),
}

impl Proxy {
    /// Binds the published address `host` for `protocol` (`tcp`/`udp`), forwarding to `target`.
    pub fn bind(protocol: &str, host: SocketAddr, target: SocketAddr) -> std::io::Result<Proxy> {
        if protocol == "udp" {
            UdpProxy::bind(host, target).map(Proxy::Udp)
        } else {
            TcpProxy::bind(host, target).map(Proxy::Tcp)
        }
    }
    /// Descriptors to poll.
    pub fn interest(&self, out: &mut Vec<Interest>) {
        match self {
            Proxy::Tcp(p) => p.interest(out),
            Proxy::Udp(p) => p.interest(out),
        }
    }
    /// Handles readiness.
    pub fn ready(&mut self, t: usize, revents: PollFlags) {
        match self {
            Proxy::Tcp(p) => p.ready(t, revents),
            Proxy::Udp(p) => p.ready(t, revents),
        }
    }
    /// Drops finished connections and idle flows.
    pub fn sweep(&mut self) {
        match self {
            Proxy::Tcp(p) => p.sweep(),
            Proxy::Udp(p) => p.sweep(),
        }
    }
}
