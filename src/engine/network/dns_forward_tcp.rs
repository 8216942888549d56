//! Forwarding over TCP: a name the embedded server does not know, asked by a client over
//! TCP, goes to the upstream resolver over TCP too, so the client gets the whole answer
//! (over UDP the upstream would truncate a large one, and a TCP answer must not be).
//! One non-blocking connection per query (a `dns_tcp::Conn`, which does the framing),
//! driven from the shim's poll loop.

use super::dns_tcp::Conn;
use nix::poll::PollFlags;
use nix::sys::socket::{AddressFamily, SockFlag, SockType, SockaddrIn, connect, socket};
use std::net::{SocketAddr, SocketAddrV4, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// At most this many queries in flight; the oldest is given up when another comes.
const MAX_IN_FLIGHT: usize = 32;

/// One forwarded query: its connection to the upstream and who asked.
struct Forward {
    /// The `TcpDns` connection that asked.
    client: usize,
    /// The client's query as it came (its id too: the upstream's answer carries it back),
    /// for a SERVFAIL when the forward fails.
    query: Vec<u8>,
    conn: Conn,
    since: Instant,
}

impl Forward {
    fn failed(self) -> Outcome {
        Outcome::Failed {
            client: self.client,
            query: self.query,
        }
    }
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
        let mut conn = Conn::new(client, stream);
        conn.send(&query);
        let given_up = (self.queries.len() >= MAX_IN_FLIGHT).then(|| self.queries.remove(0));
        self.queries.push(Forward {
            client,
            query,
            conn,
            since: Instant::now(),
        });
        given_up.map(Forward::failed)
    }

    /// The descriptors to poll: `(fd, events, index)`.
    pub fn interest(&self, out: &mut Vec<(std::os::fd::RawFd, PollFlags, usize)>) {
        for (i, f) in self.queries.iter().enumerate() {
            let ev = if f.conn.wants_write() {
                PollFlags::POLLOUT
            } else {
                PollFlags::POLLIN
            };
            out.push((f.conn.fd(), ev, i));
        }
    }

    /// Moves query `index` on after poll said `revents`; returns how it ended, if it did.
    pub fn ready(&mut self, index: usize, revents: PollFlags) -> Option<Outcome> {
        let f = self.queries.get_mut(index)?;
        if revents.contains(PollFlags::POLLOUT) {
            f.conn.flush();
        }
        let answer =
            if revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
                f.conn.read().into_iter().next()
            } else {
                None
            };
        let failed = f.conn.is_closed() || revents.contains(PollFlags::POLLNVAL);
        if answer.is_none() && !failed {
            return None;
        }
        let f = self.queries.remove(index);
        Some(match answer {
            Some(message) => Outcome::Answer {
                client: f.client,
                message,
            },
            None => f.failed(),
        })
    }

    /// Gives up the queries older than `timeout`.
    pub fn expire(&mut self, timeout: Duration) -> Vec<Outcome> {
        let (old, keep): (Vec<Forward>, Vec<Forward>) = std::mem::take(&mut self.queries)
            .into_iter()
            .partition(|f| f.since.elapsed() > timeout);
        self.queries = keep;
        old.into_iter().map(Forward::failed).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
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
}
