//! Readers that join the async download to the blocking unpack: a channel of chunks read
//! as a `Read`, and a reader that refuses to yield more than a bound (a decompression bomb).

use bytes::Bytes;
use std::io::{self, Read};
use tokio::sync::mpsc::Receiver;

/// Reads the chunks sent by the download task; the channel closing is the end of the blob.
pub struct ChannelReader {
    rx: Receiver<io::Result<Bytes>>,
    cur: Bytes,
}

impl ChannelReader {
    /// Reads from `rx`.
    pub fn new(rx: Receiver<io::Result<Bytes>>) -> ChannelReader {
        ChannelReader {
            rx,
            cur: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.cur.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.cur = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur[..n]);
        let _ = self.cur.split_to(n);
        Ok(n)
    }
}

/// Fails once more than `limit` bytes have been read through it.
pub struct BoundedReader<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> BoundedReader<R> {
    /// Wraps `inner`, allowing at most `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        BoundedReader {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for BoundedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "layer decompresses to more than {} bytes, far beyond its declared size (a decompression bomb?)",
                    self.limit
                ),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reader_stops_at_the_limit() {
        let data = [0u8; 100];
        let mut ok = Vec::new();
        BoundedReader::new(&data[..], 100)
            .read_to_end(&mut ok)
            .expect("within the limit");
        assert_eq!(ok.len(), 100);
        let err = BoundedReader::new(&data[..], 99)
            .read_to_end(&mut Vec::new())
            .expect_err("over the limit");
        assert!(err.to_string().contains("decompression bomb"));
    }
}
