//! A connection to the shim's socket: an attached client, or the owner of one exec'd
//! process.

use super::protocol::Decoder;
use nix::unistd::Pid;
use std::io::{ErrorKind, Write};
use std::os::unix::net::UnixStream;

/// A client's unsent bytes beyond this mean it stopped reading: it is dropped.
const MAX_CLIENT_BACKLOG: usize = 32 * 1024 * 1024;

/// One connection.
pub struct Client {
    /// The socket (non-blocking).
    pub stream: UnixStream,
    /// Bytes waiting for the socket.
    pub out: Vec<u8>,
    /// Frames arriving from the client.
    pub decoder: Decoder,
    /// The exec'd process this client owns; `None` for a client attached to the container.
    pub exec: Option<Pid>,
    /// Found disconnected during this poll round; removed once the round is over, so the
    /// indices the round works with stay valid.
    pub gone: bool,
}

impl Client {
    /// Wraps an accepted connection.
    pub fn new(stream: UnixStream) -> Client {
        let _ = stream.set_nonblocking(true);
        Client {
            stream,
            out: Vec::new(),
            decoder: Decoder::default(),
            exec: None,
            gone: false,
        }
    }

    /// Queues bytes and writes what the socket takes now. False if the client is gone.
    pub fn send(&mut self, data: &[u8]) -> bool {
        self.out.extend_from_slice(data);
        self.flush_some()
    }

    /// Writes what the socket takes now. False if the client is gone or too far behind.
    pub fn flush_some(&mut self) -> bool {
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
