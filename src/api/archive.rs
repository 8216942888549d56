//! `docker cp`: `GET`/`HEAD`/`PUT /containers/{id}/archive`, tar streams in and out of a
//! container through the engine's cp, and the `X-Docker-Container-Path-Stat` header
//! (base64 JSON of the path's name, size, Go file mode, mtime and link target).

use super::body::{Handled, empty, full};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{CopyIn, CopyOptions, CopyOut, PathStat};
use base64::Engine as _;
use hyper::body::Incoming;
use hyper::{Response, StatusCode, header};

/// The header Docker carries a path's stat in.
const STAT_HEADER: &str = "X-Docker-Container-Path-Stat";

/// The `path` query parameter (required).
fn path_of(t: &Target) -> Result<String, ApiError> {
    t.get("path")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .ok_or_else(|| ApiError::bad_request("the path parameter is required"))
}

/// A Unix `st_mode` as Go's `os.FileMode` (type bits high, permissions low).
fn go_mode(mode: u32) -> u32 {
    let mut m = mode & 0o777;
    match mode & 0o170000 {
        0o040000 => m |= 1 << 31,
        0o120000 => m |= 1 << 27,
        0o060000 => m |= 1 << 26,
        0o020000 => m |= (1 << 26) | (1 << 21),
        0o010000 => m |= 1 << 25,
        0o140000 => m |= 1 << 24,
        _ => {}
    }
    if mode & 0o4000 != 0 {
        m |= 1 << 23;
    }
    if mode & 0o2000 != 0 {
        m |= 1 << 22;
    }
    if mode & 0o1000 != 0 {
        m |= 1 << 20;
    }
    m
}

/// The header's value: base64 of Docker's `ContainerPathStat` JSON.
fn stat_header(s: &PathStat) -> String {
    let mtime = chrono::DateTime::from_timestamp(s.mtime, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    let doc = serde_json::json!({
        "name": s.name,
        "size": s.size,
        "mode": go_mode(s.mode),
        "mtime": mtime,
        "linkTarget": s.link_target,
    });
    base64::engine::general_purpose::STANDARD.encode(doc.to_string())
}

/// `HEAD /containers/{id}/archive?path`: the stat header alone.
pub async fn stat(api: &Api, id: &str, t: &Target) -> Handled {
    let (id, path) = (id.to_string(), path_of(t)?);
    let s = api
        .blocking(move |e| e.container_path_stat(&id, &path))
        .await?;
    let mut r = empty(StatusCode::OK)?;
    r.headers_mut().insert(
        STAT_HEADER,
        stat_header(&s).parse().expect("base64 is a header value"),
    );
    Ok(r)
}

/// `GET /containers/{id}/archive?path`: a tar of the path, with its stat header.
pub async fn get(api: &Api, id: &str, t: &Target) -> Handled {
    let (id, path) = (id.to_string(), path_of(t)?);
    let (s, tar) = api
        .blocking(move |e| {
            let s = e.container_path_stat(&id, &path)?;
            let mut tar = Vec::new();
            e.copy_from_container(&id, &path, CopyOut::Tar(&mut tar), CopyOptions::default())?;
            Ok((s, tar))
        })
        .await?;
    let mut r = Response::new(full(tar));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/x-tar"),
    );
    r.headers_mut().insert(
        STAT_HEADER,
        stat_header(&s).parse().expect("base64 is a header value"),
    );
    Ok(r)
}

/// The largest tar `PUT /containers/{id}/archive` takes (it is streamed into the
/// container, never held in memory; the cap bounds what one request can write).
pub const MAX_UPLOAD: u64 = 8 << 30;

/// `PUT /containers/{id}/archive?path&copyUIDGID`: extracts the tar body into the
/// directory `path`, streaming it from the connection into the container.
pub async fn put(api: &Api, id: &str, t: &Target, body: Incoming) -> Handled {
    let (id, path) = (id.to_string(), path_of(t)?);
    let opts = CopyOptions {
        archive: t.flag("copyUIDGID"),
        follow_link: false,
    };
    let (feeder, mut reader) = super::upload::channel();
    let extract = api.blocking(move |e| {
        let result = e.copy_to_container(&id, CopyIn::Tar(&mut reader), &path, opts);
        // The rest of the body is not wanted: the feeder stops when the reader goes.
        drop(reader);
        result
    });
    let (fed, extracted) = tokio::join!(feeder.feed(body, MAX_UPLOAD), extract);
    // The body's own failure (too large, cut off) explains the extractor's.
    fed?;
    extracted?;
    empty(StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_modes_become_go_file_modes() {
        assert_eq!(go_mode(0o100644), 0o644);
        assert_eq!(go_mode(0o040755), (1 << 31) | 0o755);
        assert_eq!(go_mode(0o120777), (1 << 27) | 0o777);
    }
}
