//! `POST /containers/{id}/attach`: the hijacked connection. The client asks for
//! `Upgrade: tcp`, gets 101, and the socket then carries the container's output (raw for
//! a tty, Docker's multiplexed frames otherwise) one way and its stdin the other way.
//! `docker run` attaches before it starts the container: such a client waits in
//! `Api::pending` until `start` hands it the session of `Engine::start_attached`.

use super::body::Handled;
use super::hijack::{Streams, pump, switching};
use super::route::Target;
use super::state::Api;
use crate::engine::{Session, Status};
use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

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
            Source::Now(s) => Some(s),
            Source::AtStart(rx) => wait_for_start(&api, rx).await,
        };
        let Some(session) = session else { return };
        let exits = api.exits.clone();
        let key = full_id.clone();
        let on_exit = move |code| exits.record(&key, code);
        pump(&api, &full_id, session, io, streams, on_exit).await;
    });
    switching(streams.tty)
}

/// Waits for the container's start to hand over its session. The wait keeps the service
/// from idling out for one idle period (`docker run` starts the container at once), not
/// longer: a container that is never started must not keep the service up for ever.
async fn wait_for_start(api: &Api, mut rx: oneshot::Receiver<Session>) -> Option<Session> {
    if api.idle.is_zero() {
        return rx.await.ok();
    }
    api.activity.opened();
    let first = tokio::time::timeout(api.idle, &mut rx).await;
    api.activity.closed();
    match first {
        Ok(session) => session.ok(),
        Err(_) => rx.await.ok(),
    }
}
