//! The hijacked connection shared by `attach` and `exec start`: the 101 answer, then the
//! session's output to the socket (raw for a tty, Docker's multiplexed frames otherwise)
//! and the socket's bytes to the session's stdin.

use super::body::{Handled, full, multiplexed};
use super::error::ApiError;
use super::state::Api;
use crate::engine::{Frame, Session};
use bytes::Bytes;
use hyper::{Response, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// Which streams the client asked for.
#[derive(Debug, Clone, Copy)]
pub struct Streams {
    /// Forward the socket's bytes to the process's stdin.
    pub stdin: bool,
    /// Send the process's stdout.
    pub stdout: bool,
    /// Send the process's stderr.
    pub stderr: bool,
    /// The process has a terminal: raw bytes, no multiplexing.
    pub tty: bool,
}

/// The `101 Switching Protocols` answer to `Upgrade: tcp`.
pub fn switching(tty: bool) -> Handled {
    let kind = if tty {
        "application/vnd.docker.raw-stream"
    } else {
        "application/vnd.docker.multiplexed-stream"
    };
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header("Connection", "Upgrade")
        .header("Upgrade", "tcp")
        .header("Content-Type", kind)
        .body(full(Bytes::new()))
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Moves bytes between the hijacked socket and the session until the process ends or
/// the client hangs up; `on_exit` gets the exit code (before the socket closes).
pub async fn pump<S>(
    api: &Api,
    id: &str,
    mut session: Session,
    io: S,
    streams: Streams,
    on_exit: impl FnOnce(i32) + Send + 'static,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    api.activity.opened();
    let (mut rd, mut wr) = tokio::io::split(io);
    let input = session.input();
    if let Ok(mut m) = api.inputs.lock() {
        m.insert(id.to_string(), input.clone());
    }
    let (out_tx, mut out_rx) = mpsc::channel::<Frame>(64);
    std::thread::spawn(move || {
        while let Ok(Some(frame)) = session.recv() {
            if let Frame::Exit(code) = frame {
                on_exit(code);
                break;
            }
            if out_tx.blocking_send(frame).is_err() {
                break;
            }
        }
    });
    let reader = streams.stdin.then(|| {
        let input = input.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 32 * 1024];
            loop {
                match rd.read(&mut buf).await {
                    Ok(0) | Err(_) => {
                        let _ = input.close_stdin();
                        break;
                    }
                    Ok(n) => {
                        if input.send_input(&buf[..n]).is_err() {
                            break;
                        }
                    }
                }
            }
        })
    });
    while let Some(frame) = out_rx.recv().await {
        let chunk = match frame {
            Frame::Stdout(b) if streams.stdout => {
                if streams.tty {
                    Bytes::from(b)
                } else {
                    multiplexed(1, &b)
                }
            }
            Frame::Stderr(b) if streams.stderr => {
                if streams.tty {
                    Bytes::from(b)
                } else {
                    multiplexed(2, &b)
                }
            }
            _ => continue,
        };
        if wr.write_all(&chunk).await.is_err() {
            break;
        }
        let _ = wr.flush().await;
    }
    let _ = wr.shutdown().await;
    if let Some(r) = reader {
        r.abort();
    }
    if let Ok(mut m) = api.inputs.lock() {
        m.remove(id);
    }
    input.hang_up();
    api.activity.closed();
}
