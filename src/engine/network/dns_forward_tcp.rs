//! Forwarding over TCP: a name the embedded server does not know, asked by a client over
//! TCP, goes to the upstream resolver over TCP too, so the client gets the whole answer
//! (over UDP the upstream would truncate a large one, and a TCP answer must not be).
//! One non-blocking connection per query, driven from the shim's poll loop.

use nix::poll::PollFlags;
use nix::sys::socket::{AddressFamily, SockFlag, SockType, SockaddrIn, connect, socket};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, SocketAddrV4, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// At most this many queries in flight; the oldest is given up when another comes.
const MAX_IN_FLIGHT: usize = 32;

/// One forwarded query: its connection, what is left to send and what came back.
struct Forward {
    /// The `TcpDns` connection that asked.
    client: usize,
    /// The client's query as it came (its id too: the upstream's answer carries it back),
    /// for a SERVFAIL when the forward fails.
    query: Vec<u8>,
    stream: TcpStream,
    out: Vec<u8>,
    written: usize,
    inbuf: Vec<u8>,
    since: Instant,
}

/// How a forwarded query ended.
pub enum Outcome {
    /// The upstream's answer, to send to client connection `client`.
    Answer {
        /// The `TcpDns` connection that asked.
        client: usize,
        /// The DNS message (without the length prefix).
        message: Vec<u8>,
    },
    /// No answer (refused, reset, timed out): the client gets SERVFAIL for `query`.
    Failed {
        /// The `TcpDns` connection that asked.
        client: usize,
        /// The client's query.
        query: Vec<u8>,
    },
}

/// The queries in flight to the upstream over TCP.
#[derive(Default)]
pub struct TcpForwarder {
    queries: Vec<Forward>,
}

impl TcpForwarder {
    /// Starts forwarding `query` (a DNS message, unframed) for client connection `client`
    /// to `server`. Returns a failure to answer at once: this query's when no connection
    /// could be started, or the oldest one's when too many are in flight.
    pub fn start(&mut self, server: SocketAddr, client: usize, query: Vec<u8>) -> Option<Outcome> {
        let SocketAddr::V4(v4) = server else {
            return Some(Outcome::Failed { client, query });
        };
        let Ok(stream) = connect_nonblocking(v4) else {
            return Some(Outcome::Failed { client, query });
        };
        let mut out = (query.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(&query);
        let given_up = (self.queries.len() >= MAX_IN_FLIGHT).then(|| self.queries.remove(0));
        self.queries.push(Forward {
            client,
            query,
            stream,
            out,
            written: 0,
            inbuf: Vec::new(),
            since: Instant::now(),
        });
        given_up.map(|f| Outcome::Failed {
            client: f.client,
            query: f.query,
        })
    }

    /// The descriptors to poll: `(fd, events, index)`.
    pub fn interest(&self, out: &mut Vec<(std::os::fd::RawFd, PollFlags, usize)>) {
        for (i, f) in self.queries.iter().enumerate() {
            let ev = if f.written < f.out.len() {
                PollFlags::POLLOUT
            } else {
                PollFlags::POLLIN
            };
            out.push((f.stream.as_raw_fd(), ev, i));
        }
    }

    /// Moves query `index` on after poll said `revents`; returns how it ended, if it did.
    pub fn ready(&mut self, index: usize, revents: PollFlags) -> Option<Outcome> {
        let f = self.queries.get_mut(index)?;
        let done = step(f, revents);
        done.map(|answer| {
            let f = self.queries.remove(index);
            match answer {
                Some(message) => Outcome::Answer {
                    client: f.client,
                    message,
                },
                None => Outcome::Failed {
                    client: f.client,
                    query: f.query,
                },
            }
        })
    }

    /// Gives up the queries older than `timeout`.
    pub fn expire(&mut self, timeout: Duration) -> Vec<Outcome> {
        let (old, keep): (Vec<Forward>, Vec<Forward>) = std::mem::take(&mut self.queries)
            .into_iter()
            .partition(|f| f.since.elapsed() > timeout);
        self.queries = keep;
        old.into_iter()
            .map(|f| Outcome::Failed {
                client: f.client,
                query: f.query,
            })
            .collect()
    }

    /// Whether a query is in flight.
    pub fn busy(&self) -> bool {
        !self.queries.is_empty()
    }
}

/// A TCP connection to `server` whose connect is under way (std's is blocking).
fn connect_nonblocking(server: SocketAddrV4) -> std::io::Result<TcpStream> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::SOCK_NONBLOCK | SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    match connect(fd.as_raw_fd(), &SockaddrIn::from(server)) {
        Ok(()) | Err(nix::errno::Errno::EINPROGRESS) => Ok(TcpStream::from(fd)),
        Err(e) => Err(e.into()),
    }
}

/// Writes what is left, or reads what came. `Some(Some(answer))` when the answer is in,
/// `Some(None)` when the query failed, `None` while it goes on.
fn step(f: &mut Forward, revents: PollFlags) -> Option<Option<Vec<u8>>> {
    if revents.intersects(PollFlags::POLLERR | PollFlags::POLLNVAL) {
        return Some(None);
    }
    while f.written < f.out.len() {
        match f.stream.write(&f.out[f.written..]) {
            Ok(n) => f.written += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return None,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Some(None),
        }
    }
    let mut buf = [0u8; 4096];
    loop {
        match f.stream.read(&mut buf) {
            Ok(0) => return Some(None),
            Ok(n) => f.inbuf.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Some(None),
        }
        if let Some(m) = framed(&f.inbuf) {
            return Some(Some(m));
        }
    }
    framed(&f.inbuf).map(Some)
}

/// The first complete length-prefixed message of `buf`.
fn framed(buf: &[u8]) -> Option<Vec<u8>> {
    let len = usize::from(u16::from_be_bytes([*buf.first()?, *buf.get(1)?]));
    buf.get(2..2 + len).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn a_query_goes_out_framed_and_the_framed_answer_comes_back() {
        let server = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = server.local_addr().expect("addr");
        let mut fwd = TcpForwarder::default();
        assert!(fwd.start(addr, 7, b"question".to_vec()).is_none());
        let (mut peer, _) = server.accept().expect("accept");
        let outcome = std::thread::scope(|s| {
            s.spawn(|| {
                let mut got = [0u8; 10];
                peer.read_exact(&mut got).expect("the framed query");
                assert_eq!(&got, b"\x00\x08question");
                peer.write_all(b"\x00\x06answer").expect("answer");
            });
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                assert!(Instant::now() < deadline, "no answer");
                let mut fds = Vec::new();
                fwd.interest(&mut fds);
                let (_, ev, i) = fds[0];
                let ready = if ev == PollFlags::POLLOUT {
                    ev
                } else {
                    PollFlags::POLLIN
                };
                if let Some(o) = fwd.ready(i, ready) {
                    break o;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        match outcome {
            Outcome::Answer { client, message } => {
                assert_eq!((client, message.as_slice()), (7, b"answer".as_slice()));
            }
            Outcome::Failed { .. } => panic!("the forward failed"),
        }
        assert!(!fwd.busy());
    }

    #[test]
    fn a_refused_connection_fails_the_query() {
        // A port nothing listens on: bound then dropped.
        let addr = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port");
        let mut fwd = TcpForwarder::default();
        if let Some(Outcome::Failed { client, .. }) = fwd.start(addr, 3, b"q".to_vec()) {
            assert_eq!(client, 3);
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            assert!(Instant::now() < deadline, "the refusal was never seen");
            std::thread::sleep(Duration::from_millis(20));
            if let Some(o) = fwd.ready(0, PollFlags::POLLOUT) {
                assert!(matches!(o, Outcome::Failed { client: 3, .. }));
                break;
            }
        }
    }

    #[test]
    fn framing_waits_for_the_whole_message() {
        assert_eq!(framed(b"\x00\x03ab"), None);
        assert_eq!(framed(b"\x00\x03abcX"), Some(b"abc".to_vec()));
        assert_eq!(framed(b"\x00"), None);
    }
}
