//! `POST /images/{name}/push?tag`: a push reported as Docker's JSON progress stream
//! (`Preparing`, `Pushing` with progress, `Pushed`, `Layer already exists`, then
//! `TAG: digest: sha256:... size: N` and the `aux` object with Tag, Digest and Size), with
//! the credentials of `X-Registry-Auth`. An empty tag pushes every local tag of the name.

use super::body::{Handled, channel};
use super::error::ApiError;
use super::pull::{error_line, line};
use super::route::Target;
use super::state::Api;
use crate::engine::{Progress, PushOptions, RemoteReference};
use hyper::HeaderMap;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Docker's line for a push progress event (`None`: Docker shows nothing for it).
fn progress_line(p: &Progress) -> Option<Value> {
    Some(match p {
        Progress::Resolved { .. } => return None,
        Progress::Waiting { id, .. } => {
            json!({ "status": "Preparing", "progressDetail": {}, "id": id })
        }
        Progress::AlreadyExists { id } => {
            json!({ "status": "Layer already exists", "progressDetail": {}, "id": id })
        }
        Progress::Transferring { id, current, total }
        | Progress::Resumed { id, current, total } => json!({
            "status": "Pushing",
            "progressDetail": { "current": current, "total": total },
            "id": id,
        }),
        Progress::Extracting { id } => {
            json!({ "status": "Pushing", "progressDetail": {}, "id": id })
        }
        Progress::Mounted { id, from } => {
            json!({ "status": format!("Mounted from {from}"), "progressDetail": {}, "id": id })
        }
        Progress::Complete { id } => {
            json!({ "status": "Pushed", "progressDetail": {}, "id": id })
        }
    })
}

/// The references to push: `name:tag`, or every local tag of `name` when `tag` is empty;
/// `Err` is dockerd's message for a name with no such local image (sent in the stream).
async fn targets(
    api: &Api,
    name: &str,
    t: &Target,
) -> Result<Result<Vec<String>, String>, ApiError> {
    let r = RemoteReference::parse(name).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let missing = |what: &str| format!("An image does not exist locally with the tag: {what}");
    if let Some(tag) = t.get("tag").filter(|s| !s.is_empty()) {
        let want = format!("{}:{tag}", r.reference.name);
        let key = want.clone();
        return Ok(match api.blocking(move |e| e.image(&key)).await {
            Ok(_) => Ok(vec![want]),
            Err(_) => Err(missing(&r.reference.name)),
        });
    }
    let prefix = format!("{}:", r.reference.name);
    let mut tags: Vec<String> = api
        .blocking(|e| e.images())
        .await?
        .into_iter()
        .flat_map(|i| i.repo_tags)
        .filter(|t| t.starts_with(&prefix))
        .collect();
    tags.sort();
    tags.dedup();
    Ok(if tags.is_empty() {
        Err(missing(&r.reference.name))
    } else {
        Ok(tags)
    })
}

/// `POST /images/{name}/push`.
pub async fn push(api: &Api, name: &str, t: &Target, headers: &HeaderMap) -> Handled {
    let credentials = super::auth::registry_auth(headers)?;
    let targets = targets(api, name, t).await?;
    let (tx, reply) = channel("application/json");
    let targets = match targets {
        Ok(t) => t,
        Err(m) => {
            let lines = [
                json!({ "status": format!("The push refers to repository [{name}]") }),
                json!({ "errorDetail": { "message": m }, "error": m }),
            ];
            tokio::spawn(async move {
                for v in lines {
                    let _ = tx.send(line(&v)).await;
                }
            });
            return Ok(reply);
        }
    };
    let opts = PushOptions {
        registries: api.registries.clone(),
        credentials,
    };
    let engine = api.engine.clone();
    tokio::spawn(async move {
        for target in targets {
            let (ptx, mut prx) = mpsc::unbounded_channel::<Value>();
            let repo = target
                .rsplit_once(':')
                .map_or(target.as_str(), |(n, _)| n)
                .to_string();
            let _ =
                ptx.send(json!({ "status": format!("The push refers to repository [{repo}]") }));
            // A client that goes away drops the push between two network calls, before
            // the manifest (what makes the image exist there) is sent. The engine's push is
            // driven on a blocking thread (its progress callback is not `Sync`).
            let (engine, opts, watch) = (engine.clone(), opts.clone(), tx.clone());
            let handle = tokio::runtime::Handle::current();
            let pushing = tokio::task::spawn_blocking(move || {
                handle.block_on(async move {
                    tokio::select! {
                        r = engine.push_image(&target, &opts, |p| {
                            if let Some(v) = progress_line(&p) {
                                let _ = ptx.send(v);
                            }
                        }) => Some(r),
                        _ = watch.closed() => None,
                    }
                })
            });
            while let Some(v) = prx.recv().await {
                if tx.send(line(&v)).await.is_err() {
                    return;
                }
            }
            let pushed = match pushing.await {
                Ok(Some(r)) => r,
                Ok(None) => return,
                Err(e) => {
                    // The push task itself failed (panicked): no engine error to name.
                    let m = format!("the push stopped: {e}");
                    let _ = tx
                        .send(line(
                            &json!({ "errorDetail": { "message": m }, "error": m }),
                        ))
                        .await;
                    return;
                }
            };
            let end = match pushed {
                Ok(r) => vec![
                    json!({ "status": format!("{}: digest: {} size: {}", r.tag, r.digest, r.size) }),
                    json!({
                        "progressDetail": {},
                        "aux": { "Tag": r.tag, "Digest": r.digest, "Size": r.size },
                    }),
                ],
                Err(e) => vec![error_line(&e)],
            };
            let failed = end[0].get("error").is_some();
            for v in end {
                if tx.send(line(&v)).await.is_err() {
                    return;
                }
            }
            if failed {
                return;
            }
        }
    });
    Ok(reply)
}
