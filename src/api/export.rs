//! `docker export` and `docker diff`: `GET /containers/{id}/export` (the container's whole
//! filesystem as a tar stream) and `GET /containers/{id}/changes` (Docker's change list).

use super::body::{Handled, channel, ok_json};
use super::state::Api;
use super::stream_io::ChunkWriter;
use serde_json::{Value, json};
use std::io::Write;

/// `GET /containers/{id}/export`: the tar streams as it is written; an unknown container
/// is a 404 before any of it.
pub async fn export(api: &Api, id: &str) -> Handled {
    let key = id.to_string();
    let id = api
        .blocking(move |e| e.container(&key).map(|c| c.id().to_string()))
        .await?;
    let (tx, reply) = channel("application/x-tar");
    let engine = api.engine.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = ChunkWriter::new(tx);
        match engine.export_container(&id, &mut w) {
            Ok(_) => {
                let _ = w.flush();
            }
            // Headers are gone: the client sees a truncated archive.
            Err(e) => tracing::warn!("export of {id} stopped: {e}"),
        }
    });
    Ok(reply)
}

/// `GET /containers/{id}/changes`: `[{Path, Kind}]`, Kind 0 changed, 1 added, 2 deleted.
pub async fn changes(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    let changes = api.blocking(move |e| e.container_diff(&id)).await?;
    let docs: Vec<Value> = changes
        .iter()
        .map(|c| {
            let kind = match c.kind.letter() {
                'A' => 1,
                'D' => 2,
                _ => 0,
            };
            json!({ "Path": c.path.to_string_lossy(), "Kind": kind })
        })
        .collect();
    ok_json(&Value::Array(docs))
}
