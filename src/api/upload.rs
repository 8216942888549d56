//! A request body handed to a blocking engine call as a `std::io::Read`, streamed: the async
//! side feeds the body's chunks through a small bounded channel, so an upload of any size
//! holds only a few chunks in memory, and one over the cap is cut off.

use super::error::ApiError;
use bytes::{Buf, Bytes};
use http_body_util::BodyExt;
use hyper::StatusCode;
use std::io::{self, Read};
use tokio::sync::mpsc;

/// Chunks in flight between the connection and the engine.
const IN_FLIGHT: usize = 8;

/// The blocking side: reads what [`feed`] sends; an error sent ends the read with it.
pub struct BodyReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}

/// The feeding end of a [`BodyReader`].
pub struct Feeder {
    tx: mpsc::Sender<io::Result<Bytes>>,
}

/// A connected feeder and reader.
pub fn channel() -> (Feeder, BodyReader) {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    (
        Feeder { tx },
        BodyReader {
            rx,
            current: Bytes::new(),
        },
    )
}

impl Feeder {
    /// Sends `body` to the reader, at most `cap` bytes: a larger body is refused (413) and
    /// the reader gets an error instead of the rest, as it does when the client goes away.
    /// Stops early, without error, when the reader is gone (the engine call ended).
    pub async fn feed<B>(self, mut body: B, cap: u64) -> Result<(), ApiError>
    where
        B: hyper::body::Body<Data = Bytes> + Unpin,
        B::Error: std::fmt::Display,
    {
        let mut total: u64 = 0;
        while let Some(frame) = body.frame().await {
            let chunk = match frame {
                Ok(f) => match f.into_data() {
                    Ok(d) => d,
                    Err(_) => continue,
                },
                Err(e) => {
                    let msg = format!("cannot read the request body: {e}");
                    let _ = self.tx.send(Err(io::Error::other(msg.clone()))).await;
                    return Err(ApiError::bad_request(msg));
                }
            };
            total += chunk.len() as u64;
            if total > cap {
                let msg = format!("the request body is over the limit of {cap} bytes");
                let _ = self.tx.send(Err(io::Error::other(msg.clone()))).await;
                return Err(ApiError {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    message: msg,
                });
            }
            if self.tx.send(Ok(chunk)).await.is_err() {
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;
    use http_body_util::StreamBody;
    use hyper::body::Frame;

    fn body(
        chunks: &[&'static [u8]],
    ) -> StreamBody<impl futures_core::Stream<Item = Result<Frame<Bytes>, io::Error>> + Unpin> {
        let frames: Vec<Result<Frame<Bytes>, io::Error>> = chunks
            .iter()
            .map(|c| Ok(Frame::data(Bytes::from_static(c))))
            .collect();
        StreamBody::new(stream::iter(frames))
    }

    #[tokio::test]
    async fn the_reader_gets_the_body_in_order() {
        let (feeder, mut reader) = channel();
        let read = tokio::task::spawn_blocking(move || {
            let mut all = Vec::new();
            reader.read_to_end(&mut all).map(|_| all)
        });
        feeder
            .feed(body(&[b"ab", b"", b"cde"]), 100)
            .await
            .expect("fed");
        assert_eq!(read.await.expect("join").expect("read"), b"abcde");
    }

    #[tokio::test]
    async fn a_body_over_the_cap_is_refused_and_the_reader_sees_an_error() {
        let (feeder, mut reader) = channel();
        let read = tokio::task::spawn_blocking(move || {
            let mut all = Vec::new();
            reader.read_to_end(&mut all)
        });
        let err = feeder
            .feed(body(&[b"1234", b"5678"]), 6)
            .await
            .expect_err("over the cap");
        assert_eq!(err.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(read.await.expect("join").is_err());
    }
}
