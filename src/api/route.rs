//! Requests to handlers: the `/v1.xx` prefix stripped (Docker's versioned paths), then a
//! match on method and path segments. Unknown endpoints are Docker's 404.

use super::body::{Reply, error};
use super::error::ApiError;
use super::state::Api;
use super::{containers, exec, images, networks, prune, system, volumes};
use hyper::body::Incoming;
use hyper::{Method, Request};
use std::collections::HashMap;

/// A request's path (without the version prefix) and query parameters.
pub struct Target {
    /// The path, e.g. `/containers/json`.
    pub path: String,
    /// Query parameters, percent-decoded (a repeated key keeps the last value).
    pub query: HashMap<String, String>,
    /// Every query parameter in order, repeated keys included (`t=a&t=b`).
    pub pairs: Vec<(String, String)>,
    /// The API version of a `/v1.xx/` path (major, minor); `None` without a prefix.
    pub version: Option<(u32, u32)>,
}

impl Target {
    /// Parses the request URI.
    pub fn of(uri: &hyper::Uri) -> Target {
        let path = strip_version(uri.path()).to_string();
        let pairs: Vec<(String, String)> = uri
            .query()
            .map(|q| {
                q.split('&')
                    .filter(|kv| !kv.is_empty())
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        (decode(k), decode(v))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let query = pairs.iter().cloned().collect();
        let version = uri
            .path()
            .strip_prefix("/v")
            .and_then(|r| r.split('/').next())
            .and_then(|v| v.split_once('.'))
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        Target {
            path,
            query,
            pairs,
            version,
        }
    }

    /// Whether the client speaks an API older than `major.minor` (a path without a
    /// version speaks the newest).
    pub fn older_than(&self, major: u32, minor: u32) -> bool {
        self.version.is_some_and(|v| v < (major, minor))
    }

    /// A query parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.query.get(key).map(String::as_str)
    }

    /// Every value of a repeatable parameter, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A boolean parameter as Docker reads them (`1`, `true`, `True`; absent is false).
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("1" | "true" | "True" | "TRUE"))
    }
}

/// `/v1.47/containers/json` -> `/containers/json`.
fn strip_version(path: &str) -> &str {
    if let Some(rest) = path.strip_prefix("/v")
        && let Some(i) = rest.find('/')
        && rest[..i].chars().all(|c| c.is_ascii_digit() || c == '.')
        && rest[..i].starts_with(|c: char| c.is_ascii_digit())
    {
        return &rest[i..];
    }
    path
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers one request.
pub async fn handle(api: Api, req: Request<Incoming>) -> Reply {
    let t = Target::of(req.uri());
    let method = req.method().clone();
    tracing::debug!("{method} {}", req.uri());
    let segs: Vec<String> = t.path.trim_matches('/').split('/').map(decode).collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = &method;
    let result = match (m, s.as_slice()) {
        (&Method::GET | &Method::HEAD, ["_ping"]) => system::ping(m),
        (&Method::GET, ["version"]) => system::version(&api).await,
        (&Method::GET, ["info"]) => system::info(&api).await,
        (&Method::GET, ["system", "df"]) => super::df::df(&api).await,
        (&Method::GET, ["events"]) => super::events::events(&api, &t).await,
        (&Method::GET, ["containers", "json"]) => containers::list(&api, &t).await,
        (&Method::POST, ["containers", "create"]) => {
            super::create::create(&api, &t, req.into_body()).await
        }
        (&Method::GET, ["containers", id, "json"]) => containers::inspect(&api, id).await,
        (&Method::POST, ["containers", id, "start"]) => containers::start(&api, id).await,
        (&Method::POST, ["containers", id, "stop"]) => containers::stop(&api, id, &t).await,
        (&Method::POST, ["containers", id, "restart"]) => containers::restart(&api, id, &t).await,
        (&Method::POST, ["containers", id, "kill"]) => containers::kill(&api, id, &t).await,
        (&Method::POST, ["containers", id, "wait"]) => super::wait::wait(&api, id, &t).await,
        (&Method::DELETE, ["containers", id]) => containers::remove(&api, id, &t).await,
        (&Method::GET, ["containers", id, "logs"]) => super::logs::logs(&api, id, &t).await,
        (&Method::POST, ["containers", id, "attach"]) => {
            super::attach::attach(&api, id, &t, req).await
        }
        (&Method::POST, ["containers", id, "resize"]) => containers::resize(&api, id, &t).await,
        (&Method::POST, ["containers", id, "pause"]) => containers::pause(&api, id).await,
        (&Method::POST, ["containers", id, "unpause"]) => containers::unpause(&api, id).await,
        (&Method::POST, ["containers", id, "rename"]) => containers::rename(&api, id, &t).await,
        (&Method::HEAD, ["containers", id, "archive"]) => super::archive::stat(&api, id, &t).await,
        (&Method::GET, ["containers", id, "archive"]) => super::archive::get(&api, id, &t).await,
        (&Method::PUT, ["containers", id, "archive"]) => {
            super::archive::put(&api, id, &t, req.into_body()).await
        }
        (&Method::GET, ["containers", id, "export"]) => super::export::export(&api, id).await,
        (&Method::GET, ["containers", id, "changes"]) => super::export::changes(&api, id).await,
        (&Method::GET, ["containers", id, "top"]) => super::top::top(&api, id).await,
        (&Method::GET, ["containers", id, "stats"]) => super::stats::stats(&api, id, &t).await,
        (&Method::POST, ["containers", "prune"]) => prune::containers(&api).await,
        (&Method::POST, ["images", "prune"]) => prune::images(&api, &t).await,
        (&Method::POST, ["volumes", "prune"]) => prune::volumes(&api, &t).await,
        (&Method::POST, ["networks", "prune"]) => prune::networks(&api).await,
        (&Method::POST, ["containers", id, "exec"]) => {
            exec::create(&api, id, req.into_body()).await
        }
        (&Method::POST, ["exec", id, "start"]) => exec::start(&api, id, req).await,
        (&Method::GET, ["exec", id, "json"]) => exec::inspect(&api, id).await,
        (&Method::POST, ["exec", id, "resize"]) => exec::resize(&api, id, &t).await,
        (&Method::GET, ["networks"]) => networks::list(&api, &t).await,
        (&Method::POST, ["networks", "create"]) => networks::create(&api, req.into_body()).await,
        (&Method::GET, ["networks", id]) => networks::inspect(&api, id).await,
        (&Method::POST, ["networks", id, "connect"]) => {
            networks::connect(&api, id, req.into_body()).await
        }
        (&Method::POST, ["networks", id, "disconnect"]) => {
            networks::disconnect(&api, id, req.into_body()).await
        }
        (&Method::DELETE, ["networks", id]) => networks::remove(&api, id).await,
        (&Method::GET, ["volumes"]) => volumes::list(&api, &t).await,
        (&Method::POST, ["volumes", "create"]) => volumes::create(&api, req.into_body()).await,
        (&Method::GET, ["volumes", name]) => volumes::inspect(&api, name).await,
        (&Method::DELETE, ["volumes", name]) => volumes::remove(&api, name, &t).await,
        (&Method::GET, ["images", "json"]) => images::list(&api).await,
        (&Method::POST, ["images", "create"]) => super::pull::pull(&api, &t, req.headers()).await,
        (&Method::POST, ["build"]) => super::build::build(&api, &t, req).await,
        (&Method::POST, ["session"] | ["grpc"]) => Err(super::build::buildkit_refused()),
        (&Method::POST, ["auth"]) => super::auth::auth(&api, req.into_body()).await,
        (&Method::GET, ["images", "get"]) => {
            super::image_archive::save(&api, &t.all("names")).await
        }
        (&Method::POST, ["images", "load"]) => super::image_archive::load(&api, req).await,
        (&Method::GET, ["images", name @ .., "get"]) if !name.is_empty() => {
            super::image_archive::save(&api, &[name.join("/").as_str()]).await
        }
        (&Method::POST, ["images", name @ .., "push"]) if !name.is_empty() => {
            super::push::push(&api, &name.join("/"), &t, req.headers()).await
        }
        (&Method::GET, ["images", name @ .., "history"]) if !name.is_empty() => {
            images::history(&api, &name.join("/")).await
        }
        (&Method::POST, ["images", name @ .., "tag"]) if !name.is_empty() => {
            images::tag(&api, &name.join("/"), &t).await
        }
        (&Method::GET, ["images", name @ .., "json"]) if !name.is_empty() => {
            images::inspect(&api, &name.join("/")).await
        }
        (&Method::DELETE, ["images", name @ ..]) if !name.is_empty() => {
            images::remove(&api, &name.join("/"), &t).await
        }
        _ => {
            tracing::warn!("not served: {method} {}", req.uri());
            Err(ApiError::not_found(format!(
                "page not found: {method} {} is not served by berth",
                t.path
            )))
        }
    };
    result.unwrap_or_else(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_and_plain_paths_are_the_same() {
        assert_eq!(strip_version("/v1.47/containers/json"), "/containers/json");
        assert_eq!(strip_version("/containers/json"), "/containers/json");
        assert_eq!(strip_version("/volumes/v1/json"), "/volumes/v1/json");
        assert_eq!(strip_version("/v1.24/_ping"), "/_ping");
    }

    #[test]
    fn query_values_are_decoded() {
        let t = Target::of(
            &"/v1.47/containers/json?all=1&filters=%7B%22name%22%3A%5B%22a%22%5D%7D"
                .parse()
                .expect("uri"),
        );
        assert_eq!(t.path, "/containers/json");
        assert_eq!(t.version, Some((1, 47)));
        assert!(t.older_than(1, 48) && !t.older_than(1, 42));
        assert!(t.flag("all"));
        assert_eq!(t.get("filters"), Some(r#"{"name":["a"]}"#));
        let t = Target::of(&"/build?t=a%3A1&t=b&q=1".parse().expect("uri"));
        assert_eq!(t.all("t"), ["a:1", "b"]);
        assert_eq!(t.get("t"), Some("b"));
    }
}
