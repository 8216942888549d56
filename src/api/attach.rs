//! `POST /containers/{id}/attach`: the hijacked connection. The client asks for
//! `Upgrade: tcp`, gets 101, and the socket then carries the container's output (raw for
//! a tty, Docker's multiplexed frames otherwise) one way and its stdin the other way.
//! `docker run` attaches before it starts the container: such a client waits in
//! `Api::pending` until `start` hands it the session of `Engine::start_attached`.

use super::body::{Handled, full, multiplexed};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{Frame, Session, Status};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

/// Which streams the client asked for.
#[derive(Debug, Clone, Copy)]
struct Streams {
    stdin: bool,
    stdout: bool,
    stderr: bool,
    tty: bool,
}

/// Where the session comes from: now (the container runs) or at its start.
enum Source {
    Now(Session),
    AtStart(oneshot::Receiver<Session>),
}

/// `POST /containers/{id}/attach?stream&stdin&stdout&stderr`.
pub async fn attach(api: &Api, id: &str, t: &Target, mut req: Request<Incoming>) -> Handled {
    let key = id.to_string();
    let c = api.blocking(move |e| e.container(&key)).await?;
    let streams = Streams {
        stdin: t.flag("stdin"),
        stdout: t.flag("stdout"),
        stderr: t.flag("stderr"),
        tty: c.config.tty,
    };
    let full_id = c.id().to_string();
    let source = if matches!(c.state.status, Status::Running | Status::Paused) {
        let id = full_id.clone();
        Source::Now(api.blocking(move |e| e.attach(&id)).await?)
    } else {
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = api.pending.lock() {
            p.insert(full_id.clone(), tx);
        }
        Source::AtStart(rx)
    };
    let upgrade = hyper::upgrade::on(&mut req);
    let api = api.clone();
    tokio::spawn(async move {
        let io = match upgrade.await {
            Ok(u) => TokioIo::new(u),
            Err(e) => {
                tracing::debug!("attach upgrade: {e}");
                return;
            }
        };
        let session = match source {
            Source::Now(s) => s,
            Source::AtStart(rx) => match rx.await {
                Ok(s) => s,
                Err(_) => return,
            },
        };
        pump(&api, &full_id, session, io, streams).await;
    });
    let kind = if streams.tty {
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
/// the client hangs up; records the exit code for `wait`.
async fn pump<S>(api: &Api, id: &str, mut session: Session, io: S, streams: Streams)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    let (mut rd, mut wr) = tokio::io::split(io);
    let input = session.input();
    if let Ok(mut m) = api.inputs.lock() {
        m.insert(id.to_string(), input.clone());
    }
    let (out_tx, mut out_rx) = mpsc::channel::<Frame>(64);
    let exits = api.exits.clone();
    let key = id.to_string();
    std::thread::spawn(move || {
        while let Ok(Some(frame)) = session.recv() {
            if let Frame::Exit(code) = frame {
                exits.record(&key, code);
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
}
