//! `docker save` and `docker load`: `GET /images/get?names=...` and `GET /images/{name}/get`
//! stream the tar `berth save` writes as the engine writes it; `POST /images/load` hands
//! the body to the engine's load as it arrives (at most [`MAX_ARCHIVE`] bytes) and answers
//! Docker's JSON stream (`{"stream": "Loaded image: busybox:latest\n"}`). The engine
//! spools and checks the whole archive before it stores anything, so a client that goes
//! away mid-upload leaves no image and no spool behind.

use super::body::{Handled, channel, json};
use super::build::check_length;
use super::error::ApiError;
use super::state::Api;
use super::stream_io::{BodyReader, ChunkWriter};
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use serde_json::{Value, json};
use std::io::Write;

/// The largest image archive `load` accepts (bytes of the request body).
pub const MAX_ARCHIVE: u64 = 32 << 30;

/// `GET /images/get?names=a&names=b` and `GET /images/{name}/get`: one tar of the images.
pub async fn save(api: &Api, names: &[&str]) -> Handled {
    if names.is_empty() {
        return Err(ApiError::bad_request("no image names given (names=)"));
    }
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    // Unknown names are a 404 before any of the archive goes out.
    let check = names.clone();
    api.blocking(move |e| check.iter().try_for_each(|n| e.image(n).map(drop)))
        .await?;
    let (tx, reply) = channel("application/x-tar");
    let engine = api.engine.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = ChunkWriter::new(tx);
        match engine.save_images(&names, &mut w) {
            Ok(()) => {
                let _ = w.flush();
            }
            // Headers are gone: the client sees a truncated archive.
            Err(e) => tracing::warn!("save of {names:?} stopped: {e}"),
        }
    });
    Ok(reply)
}

/// `POST /images/load`: what was loaded, as Docker's JSON stream.
pub async fn load(api: &Api, req: Request<Incoming>) -> Handled {
    check_length(req.headers(), MAX_ARCHIVE)?;
    let reader = BodyReader::start(req.into_body(), MAX_ARCHIVE, "image archive");
    let loaded = api
        .blocking(move |e| {
            let mut reader = reader;
            e.load_images(&mut reader)
        })
        .await?;
    let mut lines = String::new();
    for l in loaded {
        let mut say = |s: String| {
            let v: Value = json!({ "stream": format!("{s}\n") });
            lines.push_str(&format!("{v}\r\n"));
        };
        if l.refs.is_empty() {
            say(format!("Loaded image ID: {}", l.id));
        }
        for r in l.refs {
            say(format!("Loaded image: {r}"));
        }
    }
    let mut r = json(StatusCode::OK, &Value::Null);
    *r.body_mut() = super::body::full(lines);
    Ok(r)
}
