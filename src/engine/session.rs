//! Attach and exec sessions: a connection to a container's shim seen as typed [`Frame`]s
//! coming out and typed inputs (stdin bytes, terminal size, end of input) going in, so
//! front ends never speak the shim's wire protocol.

use crate::engine::error::Result;
use crate::engine::runtime::exec::ExecRequest;
use crate::engine::runtime::protocol::{FrameKind, read_frame, resize_payload, write_frame};
use crate::engine::{ContainerId, Engine};
use std::io::{self, BufReader};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

/// What the process on the other end of a session sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// Bytes the process wrote to stdout (or to its terminal).
    Stdout(Vec<u8>),
    /// Bytes the process wrote to stderr.
    Stderr(Vec<u8>),
    /// An exec'd process started; its helper's pid.
    Started(u32),
    /// The process ended with this exit code.
    Exit(i32),
}

impl Frame {
    /// The typed frame of a wire frame, `None` for what a client never receives or a
    /// malformed payload (both skipped, as the front ends always did).
    fn decode(kind: FrameKind, payload: Vec<u8>) -> Option<Frame> {
        let four = |p: &[u8]| <[u8; 4]>::try_from(p).ok();
        match kind {
            FrameKind::Stdout => Some(Frame::Stdout(payload)),
            FrameKind::Stderr => Some(Frame::Stderr(payload)),
            FrameKind::Exit => four(&payload).map(|b| Frame::Exit(i32::from_be_bytes(b))),
            FrameKind::Started => four(&payload).map(|b| Frame::Started(u32::from_be_bytes(b))),
            _ => None,
        }
    }
}

/// The sending half of a session: cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct SessionInput {
    stream: Arc<Mutex<UnixStream>>,
}

impl SessionInput {
    fn send(&self, kind: FrameKind, payload: &[u8]) -> io::Result<()> {
        let mut w = self
            .stream
            .lock()
            .map_err(|_| io::Error::other("the session's writer panicked"))?;
        write_frame(&mut *w, kind, payload)
    }

    /// Sends bytes to the process's stdin.
    pub fn send_input(&self, bytes: &[u8]) -> io::Result<()> {
        self.send(FrameKind::Stdin, bytes)
    }

    /// Tells the process's terminal its new size.
    pub fn resize(&self, rows: u16, cols: u16) -> io::Result<()> {
        self.send(FrameKind::Resize, &resize_payload(rows, cols))
    }

    /// Closes the process's stdin (end of input).
    pub fn close_stdin(&self) -> io::Result<()> {
        self.send(FrameKind::CloseStdin, &[])
    }

    /// Hangs up both directions (a detach): the process goes on, the session's
    /// [`Session::recv`] ends.
    pub fn hang_up(&self) {
        if let Ok(w) = self.stream.lock() {
            let _ = w.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// A connection to a running container's process (attach) or to a process started in it
/// (exec). Dropping it detaches; the process goes on.
#[derive(Debug)]
pub struct Session {
    id: ContainerId,
    reader: BufReader<UnixStream>,
    input: SessionInput,
}

impl Session {
    fn new(id: ContainerId, stream: UnixStream) -> Result<Session> {
        let writer = stream
            .try_clone()
            .map_err(crate::engine::lifecycle::LifecycleError::Session)?;
        Ok(Session {
            id,
            reader: BufReader::with_capacity(256 * 1024, stream),
            input: SessionInput {
                stream: Arc::new(Mutex::new(writer)),
            },
        })
    }

    /// The full id of the container.
    pub fn container_id(&self) -> &ContainerId {
        &self.id
    }

    /// The sending half, to hand to another thread.
    pub fn input(&self) -> SessionInput {
        self.input.clone()
    }

    /// Waits for the next frame; `Ok(None)` when the connection ended (without an exit
    /// frame if the shim went away).
    pub fn recv(&mut self) -> io::Result<Option<Frame>> {
        loop {
            match read_frame(&mut self.reader)? {
                None => return Ok(None),
                Some((kind, payload)) => {
                    if let Some(frame) = Frame::decode(kind, payload) {
                        return Ok(Some(frame));
                    }
                }
            }
        }
    }
}

impl Engine {
    /// Attaches to a running container: its output as frames, and input, resizes.
    pub fn attach(&self, name_or_id: &str) -> Result<Session> {
        let (id, stream) = self.attach_container(name_or_id)?;
        Session::new(id, stream)
    }

    /// Starts a process in a running container; the session carries its output and,
    /// at the end, its exit code (after [`Frame::Started`]).
    pub fn exec(&self, name_or_id: &str, req: &ExecRequest) -> Result<Session> {
        let (id, stream) = self.exec_container(name_or_id, req)?;
        Session::new(id, stream)
    }

    /// Starts a created or exited container with a session attached before its process
    /// runs, so no output is missed.
    pub fn start_attached(&self, name_or_id: &str) -> Result<Session> {
        let c = self.container(name_or_id)?;
        let stream = self.start_container_attached(c.id())?;
        Session::new(c.config.id, stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::runtime::protocol::encode;
    use std::io::Write;

    #[test]
    fn frames_arrive_typed_and_inputs_leave_encoded() {
        let (mut shim, client) = UnixStream::pair().expect("pair");
        let mut s = Session::new(ContainerId::from_trusted("c1"), client).expect("session");
        let mut wire = encode(FrameKind::Stdout, b"out");
        wire.extend(encode(FrameKind::Resize, &[0, 1, 0, 2]));
        wire.extend(encode(FrameKind::Exit, &[1, 2]));
        wire.extend(encode(FrameKind::Stderr, b"err"));
        wire.extend(encode(FrameKind::Started, &9u32.to_be_bytes()));
        wire.extend(encode(FrameKind::Exit, &3i32.to_be_bytes()));
        shim.write_all(&wire).expect("write");
        assert_eq!(
            s.recv().expect("frame"),
            Some(Frame::Stdout(b"out".to_vec()))
        );
        assert_eq!(
            s.recv().expect("frame"),
            Some(Frame::Stderr(b"err".to_vec()))
        );
        assert_eq!(s.recv().expect("frame"), Some(Frame::Started(9)));
        assert_eq!(s.recv().expect("frame"), Some(Frame::Exit(3)));

        let input = s.input();
        input.send_input(b"hi").expect("stdin");
        input.resize(24, 80).expect("resize");
        input.close_stdin().expect("close");
        input.hang_up();
        let mut got = Vec::new();
        let mut r = &shim;
        while let Some(f) = read_frame(&mut r).expect("read") {
            got.push(f);
        }
        assert_eq!(
            got,
            vec![
                (FrameKind::Stdin, b"hi".to_vec()),
                (FrameKind::Resize, resize_payload(24, 80).to_vec()),
                (FrameKind::CloseStdin, Vec::new()),
            ]
        );
        drop(shim);
        assert_eq!(s.recv().expect("frame"), None);
    }
}
