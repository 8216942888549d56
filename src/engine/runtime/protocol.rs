//! The shim's socket protocol: length-prefixed frames in both directions.
//!
//! A frame is one kind byte, a big-endian u32 length, then the payload. The shim sends
//! output and, when the container's process ends, its exit code; clients may send stdin.

use std::io::{self, Read, Write};

/// What a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FrameKind {
    /// Client to shim: bytes for the container's stdin.
    Stdin = 0,
    /// Shim to client: bytes the container wrote to stdout.
    Stdout = 1,
    /// Shim to client: bytes the container wrote to stderr.
    Stderr = 2,
    /// Shim to client: the process ended; payload is the exit code as 4 big-endian bytes.
    Exit = 3,
    /// Client to shim: close the container's stdin.
    CloseStdin = 4,
    /// Client to shim: the terminal's size changed; payload is rows and columns as two
    /// big-endian u16.
    Resize = 5,
    /// Client to shim: run a process in the container (`exec`); payload is an
    /// [`ExecRequest`](super::exec::ExecRequest) as JSON. The connection then carries that
    /// process's output and exit code instead of the container's.
    Exec = 6,
    /// Shim to client: the exec'd process started; payload is its helper's pid (u32 BE).
    Started = 7,
}

impl FrameKind {
    fn from_byte(b: u8) -> Option<FrameKind> {
        Some(match b {
            0 => FrameKind::Stdin,
            1 => FrameKind::Stdout,
            2 => FrameKind::Stderr,
            3 => FrameKind::Exit,
            4 => FrameKind::CloseStdin,
            5 => FrameKind::Resize,
            6 => FrameKind::Exec,
            7 => FrameKind::Started,
            _ => return None,
        })
    }
}

/// Encodes a terminal size for a `Resize` frame.
pub fn resize_payload(rows: u16, cols: u16) -> [u8; 4] {
    let r = rows.to_be_bytes();
    let c = cols.to_be_bytes();
    [r[0], r[1], c[0], c[1]]
}

/// Decodes a `Resize` payload into (rows, cols).
pub fn parse_resize(p: &[u8]) -> Option<(u16, u16)> {
    (p.len() == 4).then(|| {
        (
            u16::from_be_bytes([p[0], p[1]]),
            u16::from_be_bytes([p[2], p[3]]),
        )
    })
}

/// Largest payload accepted (a peer sending more is broken or hostile).
pub const MAX_FRAME: usize = 1 << 20;

/// Encodes one frame.
pub fn encode(kind: FrameKind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + payload.len());
    out.push(kind as u8);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, kind: FrameKind, payload: &[u8]) -> io::Result<()> {
    w.write_all(&encode(kind, payload))
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<(FrameKind, Vec<u8>)>> {
    let mut head = [0u8; 5];
    match r.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let kind = FrameKind::from_byte(head[0])
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unknown frame kind"))?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload)?;
    Ok(Some((kind, payload)))
}

/// Incremental decoder for a non-blocking reader: feed bytes, take whole frames.
#[derive(Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    /// Appends received bytes.
    pub fn feed(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }
    /// Takes the next complete frame, if any. Errors on a malformed stream.
    pub fn next_frame(&mut self) -> io::Result<Option<(FrameKind, Vec<u8>)>> {
        if self.buf.len() < 5 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
        if len > MAX_FRAME {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "frame too large",
            ));
        }
        if self.buf.len() < 5 + len {
            return Ok(None);
        }
        let kind = FrameKind::from_byte(self.buf[0])
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unknown frame kind"))?;
        let payload = self.buf[5..5 + len].to_vec();
        self.buf.drain(..5 + len);
        Ok(Some((kind, payload)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_whole_and_in_pieces() {
        let mut wire = encode(FrameKind::Stdout, b"hello");
        wire.extend(encode(FrameKind::Exit, &7i32.to_be_bytes()));
        let mut r = &wire[..];
        assert_eq!(
            read_frame(&mut r).expect("read"),
            Some((FrameKind::Stdout, b"hello".to_vec()))
        );
        assert_eq!(
            read_frame(&mut r).expect("read"),
            Some((FrameKind::Exit, 7i32.to_be_bytes().to_vec()))
        );
        assert_eq!(read_frame(&mut r).expect("read"), None);

        let mut d = Decoder::default();
        for b in &wire {
            d.feed(&[*b]);
        }
        assert_eq!(
            d.next_frame().expect("frame").map(|f| f.0),
            Some(FrameKind::Stdout)
        );
        assert_eq!(
            d.next_frame().expect("frame").map(|f| f.0),
            Some(FrameKind::Exit)
        );
        assert_eq!(d.next_frame().expect("frame"), None);
    }

    #[test]
    fn oversized_frames_are_rejected() {
        let mut wire = vec![1u8];
        wire.extend_from_slice(&(MAX_FRAME as u32 + 1).to_be_bytes());
        assert!(read_frame(&mut &wire[..]).is_err());
    }
}
