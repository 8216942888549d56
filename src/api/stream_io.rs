//! Bridges between hyper's async bodies and the engine's blocking `Read`/`Write` calls:
//! [`ChunkWriter`] sends what the engine writes (an export, a save) as response chunks, and
//! [`BodyReader`] hands a request body (a build context, an image archive) to the engine
//! as it arrives, never holding all of it, and fails once it passes its size limit.

use bytes::{Buf, Bytes};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use std::io::{Read, Write};
use tokio::sync::mpsc::{self, Sender};

/// Chunks of this size go out at once.
const CHUNK: usize = 64 << 10;

/// A `Write` that sends what it is given as body chunks (on a blocking thread).
pub struct ChunkWriter {
    tx: Sender<Bytes>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    /// A writer feeding the streamed body behind `tx`.
    pub fn new(tx: Sender<Bytes>) -> ChunkWriter {
        ChunkWriter {
            tx,
            buf: Vec::new(),
        }
    }

    /// Sends the buffered bytes; a gone client is a broken pipe.
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// A request body read as a blocking `Read` (on a blocking thread): a task pulls frames off
/// the connection into a small channel, so at most a few chunks are held at once. The
/// client going away or the body passing `limit` bytes is a read error; the end of the body
/// is the end of the reader.
pub struct BodyReader {
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl BodyReader {
    /// Starts pulling `body` (at most `limit` bytes; `what` names it in the error).
    pub fn start(body: Incoming, limit: u64, what: &'static str) -> BodyReader {
        let (tx, rx) = mpsc::channel(8);
        tokio::spawn(pump(body, tx, limit, what));
        BodyReader {
            rx,
            current: Bytes::new(),
        }
    }
}

/// Moves the body's data frames into `tx` until the end, an error, the limit, or the
/// reader is dropped.
async fn pump(
    mut body: Incoming,
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    limit: u64,
    what: &'static str,
) {
    let mut total = 0u64;
    while let Some(frame) = body.frame().await {
        let item = match frame {
            Ok(f) => match f.into_data() {
                Ok(data) => {
                    total += data.len() as u64;
                    if total > limit {
                        Err(std::io::Error::other(format!(
                            "the {what} is larger than the limit of {} MiB",
                            limit >> 20
                        )))
                    } else {
                        Ok(data)
                    }
                }
                Err(_) => continue, // trailers
            },
            Err(e) => Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                format!("the client stopped sending the {what}: {e}"),
            )),
        };
        let stop = item.is_err();
        if tx.send(item).await.is_err() || stop {
            return;
        }
    }
}

impl Read for BodyReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while !self.current.has_remaining() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = out.len().min(self.current.remaining());
        self.current.copy_to_slice(&mut out[..n]);
        Ok(n)
    }
}
