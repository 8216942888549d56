//! `POST /build` (`DOCKER_BUILDKIT=0 docker build`): the context arrives as a tar body and
//! is unpacked as it streams into the state root's scratch space (at most
//! [`MAX_CONTEXT`] bytes, never held in memory); the build runs on the engine's builder and
//! is reported as the legacy builder's JSON stream (`{"stream": "Step 1/3 : ..."}`, the
//! `aux` object with the image id, `Successfully built`/`Successfully tagged`, or an
//! `errorDetail` with the failing RUN's code). A client that goes away cancels the build:
//! the RUN's container is killed, nothing is tagged, the context is removed.
//!
//! With `remote=URL` (docker-py and docker-compose send it for a build path that is a URL)
//! the context is downloaded instead: a tar archive is the context, any other file the
//! Dockerfile; git repositories are refused.
//!
//! Base images are pulled with the credentials of `X-Registry-Config` (those the docker
//! CLI has) for their registry. BuildKit (`/session`, `/grpc`, `version=2`) is refused with a message that says to use
//! the legacy builder.

use super::body::{Handled, channel, drain};
use super::error::ApiError;
use super::pull::line;
use super::route::Target;
use super::state::Api;
use super::stream_io::BodyReader;
use crate::engine::{
    BuildEvent, BuildOptions, EngineError, Platform, RemoteContext, printable, short_id,
};
use bytes::Bytes;
use hyper::Request;
use hyper::body::Incoming;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc::Sender;

/// The largest build context accepted (bytes of the request body).
pub const MAX_CONTEXT: u64 = 8 << 30;

/// Bytes of a refused build's context read before the refusal is sent (a larger one is
/// cut off: its client sees the connection close).
const DRAIN_LIMIT: u64 = 64 << 20;

/// The error of BuildKit's endpoints and of `version=2` builds.
pub fn buildkit_refused() -> ApiError {
    ApiError::bad_request(
        "berth serves the legacy builder only, not BuildKit: build with DOCKER_BUILDKIT=0 \
         (docker build without the buildx plugin uses it already)",
    )
}

/// A JSON map parameter (`buildargs`, `labels`); `null` values are skipped, as Docker
/// takes them from its own environment, which berth does not share.
fn map_param(t: &Target, key: &str) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(text) = t.get(key).filter(|s| !s.is_empty()) else {
        return Ok(BTreeMap::new());
    };
    let map: BTreeMap<String, Option<String>> = serde_json::from_str(text).map_err(|e| {
        ApiError::bad_request(format!(
            "invalid {key}: expected a JSON object of strings: {e}"
        ))
    })?;
    Ok(map.into_iter().filter_map(|(k, v)| Some((k, v?))).collect())
}

/// The `dockerfile` parameter: a relative path inside the context.
fn dockerfile_param(t: &Target) -> Result<PathBuf, ApiError> {
    let name = t
        .get("dockerfile")
        .filter(|s| !s.is_empty())
        .unwrap_or("Dockerfile");
    let p = Path::new(name);
    if p.components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(ApiError::bad_request(format!(
            "the Dockerfile '{name}' must be a relative path inside the build context"
        )));
    }
    Ok(p.to_path_buf())
}

/// The build's options from the query (the context is added once it is unpacked).
fn options(api: &Api, t: &Target) -> Result<BuildOptions, ApiError> {
    if t.get("version") == Some("2") || t.get("session").is_some_and(|s| !s.is_empty()) {
        return Err(buildkit_refused());
    }
    let opts = BuildOptions {
        tags: t
            .all("t")
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        build_args: map_param(t, "buildargs")?,
        no_cache: t.flag("nocache"),
        target: t
            .get("target")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        labels: map_param(t, "labels")?,
        network: match t.get("networkmode") {
            None | Some("" | "default") => api.default_network.clone(),
            Some(n) => n.to_string(),
        },
        registries: api.registries.clone(),
        pull: t.flag("pull"),
        platform: t
            .get("platform")
            .filter(|s| !s.is_empty())
            .map(Platform::parse)
            .transpose()
            .map_err(|e| ApiError::bad_request(e.to_string()))?,
        ..BuildOptions::default()
    };
    opts.check_platform()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(opts)
}

/// What Docker streams for a build event; `running` remembers a RUN's container so its
/// removal is reported when the step ends.
fn event_line(e: BuildEvent, running: &mut Option<String>) -> Vec<Value> {
    let stream = |s: String| json!({ "stream": s });
    let mut out = Vec::new();
    if let BuildEvent::StepDone { .. } = &e
        && let Some(id) = running.take()
    {
        out.push(stream(format!(
            "Removing intermediate container {}\n",
            short_id(&id)
        )));
    }
    out.push(match e {
        BuildEvent::Step {
            number,
            total,
            text,
        } => stream(format!("Step {number}/{total} : {text}\n")),
        BuildEvent::CacheHit => stream(" ---> Using cache\n".into()),
        BuildEvent::Running(id) => {
            let l = stream(format!(" ---> Running in {}\n", short_id(&id)));
            *running = Some(id.to_string());
            l
        }
        BuildEvent::Output(data) => stream(String::from_utf8_lossy(&data).into_owned()),
        BuildEvent::StepDone { id, .. } => stream(format!(" ---> {}\n", short(&id))),
        BuildEvent::Note(n) => stream(format!("{n}\n")),
    });
    out
}

fn short(id: &str) -> &str {
    short_id(id.trim_start_matches("sha256:"))
}

/// Docker's error object; `code` is what the docker CLI exits with.
fn error_line(e: &EngineError) -> Value {
    let m = printable(&e.to_string()).replace("'berth login ", "'docker login ");
    let code = match e {
        EngineError::Exec { code, .. } => *code,
        _ => 1,
    };
    json!({ "errorDetail": { "code": code, "message": m }, "error": m })
}

/// Sends a line from the build's thread; false once the client is gone.
fn send(tx: &Sender<Bytes>, v: &Value) -> bool {
    tx.blocking_send(line(v)).is_ok()
}

/// `POST /build`.
pub async fn build(api: &Api, t: &Target, req: Request<Incoming>) -> Handled {
    let asked = options(api, t).and_then(|mut opts| {
        opts.registry_credentials = super::auth::registry_config(req.headers())?;
        Ok((opts, dockerfile_param(t)?))
    });
    let (mut opts, dockerfile) = match asked {
        Ok(asked) => asked,
        Err(e) => {
            // The client may still be sending its context: read it so that it hears why.
            drain(req.into_body(), DRAIN_LIMIT).await;
            return Err(e);
        }
    };
    let quiet = t.flag("q");
    let context = match t.get("remote").filter(|s| !s.is_empty()) {
        // A context named by URL: the request's body is not read.
        Some(remote) => api.engine.fetch_build_context(remote).await?,
        None => {
            check_length(req.headers(), MAX_CONTEXT)?;
            let reader = BodyReader::start(req.into_body(), MAX_CONTEXT, "build context");
            RemoteContext::Archive(
                api.blocking(move |e| e.unpack_build_context_from(reader))
                    .await?,
            )
        }
    };
    match &context {
        RemoteContext::Archive(dir) => {
            opts.dockerfile = Some(dir.path().join(dockerfile));
            opts.context = Some(dir.path().to_path_buf());
        }
        RemoteContext::Dockerfile(text) => opts.dockerfile_text = Some(text.clone()),
    }
    let cancel = Arc::new(AtomicBool::new(false));
    opts.cancel = Some(cancel.clone());

    let (tx, reply) = channel("application/json");
    // A client that goes away cancels the build (between steps; a RUN's container is killed).
    let (done, finished) = tokio::sync::oneshot::channel::<()>();
    let watch = tx.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = watch.closed() => cancel.store(true, Ordering::SeqCst),
            _ = finished => {}
        }
    });
    let engine = api.engine.clone();
    tokio::task::spawn_blocking(move || {
        let _done = done;
        let mut running = None;
        let mut gone = false;
        let built = engine.build(&opts, &mut |e| {
            if quiet || gone {
                return;
            }
            for v in event_line(e, &mut running) {
                gone = gone || !send(&tx, &v);
            }
        });
        drop(context);
        let lines = match built {
            Ok(done) => {
                let mut l = vec![json!({ "aux": { "ID": done.id } })];
                if quiet {
                    l.push(json!({ "stream": format!("{}\n", done.id) }));
                } else {
                    if !done.unused_args.is_empty() {
                        l.push(json!({ "stream": format!(
                            "[Warning] One or more build-args [{}] were not consumed\n",
                            done.unused_args.join(" ")
                        ) }));
                    }
                    l.push(
                        json!({ "stream": format!("Successfully built {}\n", short(&done.id)) }),
                    );
                    for t in &done.tags {
                        l.push(json!({ "stream": format!("Successfully tagged {t}\n") }));
                    }
                }
                l
            }
            Err(e) => vec![error_line(&e)],
        };
        for v in lines {
            if !send(&tx, &v) {
                break;
            }
        }
    });
    Ok(reply)
}

/// The error of a body whose announced length is over `limit` bytes.
pub fn too_large(limit: u64) -> ApiError {
    ApiError {
        status: hyper::StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the request body is larger than the limit of {} MiB",
            limit >> 20
        ),
    }
}

/// Refuses a request whose `Content-Length` is over `limit` before reading any of it.
pub fn check_length(headers: &hyper::HeaderMap, limit: u64) -> Result<(), ApiError> {
    match headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
    {
        Some(len) if len > limit => Err(too_large(limit)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(q: &str) -> Target {
        Target::of(&format!("/v1.47/build?{q}").parse().expect("uri"))
    }

    #[test]
    fn dockerfile_stays_inside_the_context() {
        assert_eq!(
            dockerfile_param(&target("")).expect("default"),
            PathBuf::from("Dockerfile")
        );
        assert!(dockerfile_param(&target("dockerfile=sub%2FDockerfile.dev")).is_ok());
        assert!(dockerfile_param(&target("dockerfile=%2Fetc%2Fpasswd")).is_err());
        assert!(dockerfile_param(&target("dockerfile=..%2Fx")).is_err());
    }

    #[test]
    fn json_maps_skip_nulls_and_refuse_garbage() {
        let m = map_param(
            &target("buildargs=%7B%22A%22%3A%221%22%2C%22B%22%3Anull%7D"),
            "buildargs",
        )
        .expect("map");
        assert_eq!(
            m.into_iter().collect::<Vec<_>>(),
            [("A".to_string(), "1".to_string())]
        );
        assert_eq!(
            map_param(&target("labels=nope"), "labels")
                .expect_err("bad")
                .status,
            400
        );
    }

    #[test]
    fn run_steps_read_as_the_legacy_builder_prints_them() {
        let mut running = None;
        let l = event_line(
            BuildEvent::Running(crate::engine::ContainerId::from_trusted("abcdef0123456789")),
            &mut running,
        );
        assert_eq!(l, [json!({ "stream": " ---> Running in abcdef012345\n" })]);
        let l = event_line(
            BuildEvent::StepDone {
                id: "sha256:0123456789abcdef".into(),
                layer_size: Some(3),
                elapsed: std::time::Duration::ZERO,
            },
            &mut running,
        );
        assert_eq!(
            l,
            [
                json!({ "stream": "Removing intermediate container abcdef012345\n" }),
                json!({ "stream": " ---> 0123456789ab\n" }),
            ]
        );
        let e = error_line(&EngineError::Exec {
            message: "The command 'x' returned a non-zero code: 3".into(),
            code: 1,
        });
        assert_eq!(e["errorDetail"]["code"], 1);
    }
}
