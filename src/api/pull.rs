//! `POST /images/create?fromImage&tag`: a pull, reported as Docker's JSON progress
//! stream (one object per line; a failure after the headers is an `error` object). The
//! credentials of `X-Registry-Auth` are used for the image's registry.

use super::body::{Handled, channel};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{Progress, PullOptions, PullStatus};
use bytes::Bytes;
use hyper::HeaderMap;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// The reference to pull from Docker's `fromImage` and `tag` (a digest tag is `@`).
fn reference(t: &Target) -> Result<String, ApiError> {
    let image = t
        .get("fromImage")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("fromImage is required (importing with fromSrc is not supported)")
        })?;
    Ok(match t.get("tag").filter(|s| !s.is_empty()) {
        Some(tag) if tag.starts_with("sha256:") => format!("{image}@{tag}"),
        Some(tag) => format!("{image}:{tag}"),
        None => image.to_string(),
    })
}

/// Docker's line for a progress event.
fn progress_line(p: &Progress) -> Value {
    match p {
        Progress::Resolved { reference } => {
            json!({ "status": format!("Pulling from {reference}") })
        }
        Progress::Waiting { id, .. } => {
            json!({ "status": "Pulling fs layer", "progressDetail": {}, "id": id })
        }
        Progress::AlreadyExists { id } => {
            json!({ "status": "Already exists", "progressDetail": {}, "id": id })
        }
        Progress::Transferring { id, current, total }
        | Progress::Resumed { id, current, total } => json!({
            "status": "Downloading",
            "progressDetail": { "current": current, "total": total },
            "id": id,
        }),
        Progress::Extracting { id } => {
            json!({ "status": "Extracting", "progressDetail": {}, "id": id })
        }
        Progress::Mounted { id, from } => {
            json!({ "status": format!("Mounted from {from}"), "progressDetail": {}, "id": id })
        }
        Progress::Complete { id } => {
            json!({ "status": "Pull complete", "progressDetail": {}, "id": id })
        }
    }
}

/// Docker's error object for a failed pull or push; the engine's hint to log in names
/// the client's command.
pub(super) fn error_line(e: &crate::engine::EngineError) -> Value {
    let m = crate::engine::printable(&e.to_string()).replace("'berth login ", "'docker login ");
    json!({ "errorDetail": { "message": m }, "error": m })
}

/// One line of Docker's JSON stream.
pub(super) fn line(v: &Value) -> Bytes {
    Bytes::from(format!("{v}\r\n"))
}

/// `POST /images/create`, with the credentials of `X-Registry-Auth` when it has some.
pub async fn pull(api: &Api, t: &Target, headers: &HeaderMap) -> Handled {
    let reference = reference(t)?;
    let credentials = super::auth::registry_auth(headers)?;
    let (tx, reply) = channel("application/json");
    let (ptx, mut prx) = mpsc::unbounded_channel::<Value>();
    let engine = api.engine.clone();
    let opts = PullOptions {
        registries: api.registries.clone(),
        credentials,
        ..PullOptions::default()
    };
    let handle = tokio::runtime::Handle::current();
    let pulled = tokio::task::spawn_blocking(move || {
        handle.block_on(engine.pull_image(&reference, &opts, |p| {
            let _ = ptx.send(progress_line(&p));
        }))
    });
    tokio::spawn(async move {
        while let Some(v) = prx.recv().await {
            if tx.send(line(&v)).await.is_err() {
                break;
            }
        }
        let end = match pulled.await {
            Ok(Ok(r)) => {
                let status = match r.status {
                    PullStatus::Downloaded => format!("Downloaded newer image for {}", r.reference),
                    PullStatus::UpToDate => format!("Image is up to date for {}", r.reference),
                };
                vec![
                    json!({ "status": format!("Digest: {}", r.digest) }),
                    json!({ "status": format!("Status: {status}") }),
                ]
            }
            Ok(Err(e)) => vec![error_line(&e)],
            Err(e) => {
                vec![json!({ "error": e.to_string(), "errorDetail": { "message": e.to_string() } })]
            }
        };
        for v in end {
            let _ = tx.send(line(&v)).await;
        }
    });
    Ok(reply)
}
