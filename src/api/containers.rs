//! Containers: list (with Docker's filters), inspect, start, stop, restart, kill, remove,
//! resize. Create is in `create.rs`, logs, attach and wait in their own files.

use super::body::{Handled, empty, ok_json};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{Container, MountKind, Status, human};
use hyper::StatusCode;
use serde_json::{Value, json};

/// Docker's `filters` parameter: `{"name":["a"]}` or the older `{"name":{"a":true}}`.
pub fn filters(t: &Target) -> Result<Vec<(String, String)>, ApiError> {
    let Some(raw) = t.get("filters").filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    let v: Value = serde_json::from_str(raw)
        .map_err(|e| ApiError::bad_request(format!("invalid filters '{raw}': {e}")))?;
    let mut out = Vec::new();
    for (key, values) in v.as_object().into_iter().flatten() {
        match values {
            Value::Array(a) => out.extend(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(|s| (key.clone(), s.to_string())),
            ),
            Value::Object(o) => out.extend(o.keys().map(|s| (key.clone(), s.clone()))),
            _ => return Err(ApiError::bad_request(format!("invalid filter '{key}'"))),
        }
    }
    Ok(out)
}

/// Whether an object passes Docker's `filters`: every key applies; the values of `label`
/// must all match (`label=a&label=b` is both), those of other keys are alternatives.
pub fn matches_filters(
    filters: &[(String, String)],
    mut passes: impl FnMut(&str, &str) -> Result<bool, ApiError>,
) -> Result<bool, ApiError> {
    let mut keys: Vec<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let values = filters.iter().filter(|(k, _)| k == key).map(|(_, v)| v);
        let mut hits = Vec::new();
        for v in values {
            hits.push(passes(key, v)?);
        }
        let ok = if key == "label" {
            hits.iter().all(|h| *h)
        } else {
            hits.iter().any(|h| *h)
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether a `label` filter value (`KEY` or `KEY=VALUE`) matches `labels`.
pub fn label_matches(labels: &serde_json::Map<String, Value>, value: &str) -> bool {
    match value.split_once('=') {
        Some((k, v)) => labels.get(k).and_then(Value::as_str) == Some(v),
        None => labels.contains_key(value),
    }
}

/// Whether `c` passes one filter; values of one key are alternatives, keys all apply.
fn passes(c: &Container, key: &str, value: &str) -> Result<bool, ApiError> {
    Ok(match key {
        "name" => c.name().contains(value.trim_start_matches('/')),
        "id" => c.id().starts_with(value),
        "status" => c.state.status.as_str() == value,
        "label" => match value.split_once('=') {
            Some((k, v)) => c.config.labels.get(k).is_some_and(|x| x == v),
            None => c.config.labels.contains_key(value),
        },
        "ancestor" => c.config.image == value || c.config.image_id.contains(value),
        "health" => match value {
            "starting" | "healthy" | "unhealthy" | "none" => {
                c.state
                    .health
                    .as_ref()
                    .map_or("none", |h| h.status.as_str())
                    == value
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "Unrecognised filter value for health: {value}"
                )));
            }
        },
        other => {
            return Err(ApiError::bad_request(format!("invalid filter '{other}'")));
        }
    })
}

/// The list entry Docker gives for a container; `networks`: its networks' names.
pub(super) fn summary(c: &Container, networks: &str) -> Value {
    let ports: Vec<Value> = c
        .config
        .net
        .ports
        .iter()
        .map(|p| {
            json!({
                "IP": if p.host_ip.is_empty() { "0.0.0.0" } else { p.host_ip.as_str() },
                "PrivatePort": p.container_port,
                "PublicPort": p.host_port,
                "Type": p.protocol,
            })
        })
        .collect();
    let mounts: Vec<Value> = c
        .config
        .mounts
        .iter()
        .map(|m| {
            let kind = match m.kind {
                MountKind::Bind => "bind",
                MountKind::Volume => "volume",
                MountKind::Tmpfs => "tmpfs",
            };
            json!({
                "Type": kind,
                "Name": if kind == "volume" { m.source.as_str() } else { "" },
                "Source": m.source,
                "Destination": m.destination,
                "RW": !m.read_only,
            })
        })
        .collect();
    json!({
        "Id": c.id(),
        "Names": [format!("/{}", c.name())],
        "Image": c.config.image,
        "ImageID": c.config.image_id,
        "Command": c.config.argv().join(" "),
        "Created": c.config.created.timestamp(),
        "Ports": ports,
        "Labels": c.config.labels,
        "State": c.state.status.as_str(),
        "Status": human::container_status(c),
        "HostConfig": { "NetworkMode": c.config.network_mode },
        "NetworkSettings": { "Networks": networks_of(networks) },
        "Mounts": mounts,
    })
}

/// `{"bridge": {}, "front": {}}` from `bridge,front`.
fn networks_of(names: &str) -> Value {
    Value::Object(
        names
            .split(',')
            .filter(|n| !n.is_empty())
            .map(|n| (n.to_string(), json!({})))
            .collect(),
    )
}

/// `GET /containers/json?all&filters&limit`.
pub async fn list(api: &Api, t: &Target) -> Handled {
    let all = t.flag("all");
    let filters = filters(t)?;
    let limit: Option<usize> = t
        .get("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .filter(|l| *l > 0)
        .map(|l| l as usize);
    let (mut cs, memberships) = api
        .blocking(|e| Ok((e.containers()?, e.network_memberships())))
        .await?;
    cs.sort_by_key(|c| std::cmp::Reverse(c.config.created));
    let mut out = Vec::new();
    for c in &cs {
        if !all
            && !matches!(
                c.state.status,
                Status::Running | Status::Paused | Status::Restarting
            )
            && !filters.iter().any(|(k, _)| k == "status")
        {
            continue;
        }
        if matches_filters(&filters, |key, v| passes(c, key, v))? {
            out.push(summary(c, &memberships.names_of(&c.config)));
        }
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    ok_json(&Value::Array(out))
}

/// `GET /containers/{id}/json`: the document `berth inspect` prints.
pub async fn inspect(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    let doc = api
        .blocking(move |e| e.container(&id).map(|c| e.inspect_document(&c)))
        .await?;
    ok_json(&doc)
}

/// `POST /containers/{id}/start`: hands the session to a waiting attach client, if any;
/// 304 when it runs already.
pub async fn start(api: &Api, id: &str) -> Handled {
    let key = id.to_string();
    let c = api.blocking(move |e| e.container(&key)).await?;
    if matches!(c.state.status, Status::Running | Status::Restarting) {
        return empty(StatusCode::NOT_MODIFIED);
    }
    let full = c.id().to_string();
    let started = start_now(api, &full).await;
    if started.is_err() && c.config.auto_remove {
        // As dockerd: a `--rm` container that cannot start is removed (its `wait
        // condition=removed` client, `docker run --rm`, then ends).
        let id = full.clone();
        let _ = api
            .blocking(move |e| e.remove_container(&id, true, false))
            .await;
    }
    started?;
    empty(StatusCode::NO_CONTENT)
}

/// Starts container `full`, handing its session to an attach client waiting for it.
async fn start_now(api: &Api, full: &str) -> Result<(), ApiError> {
    let waiter = api.pending.lock().ok().and_then(|mut p| p.remove(full));
    let id = full.to_string();
    match waiter {
        Some(tx) => {
            let session = api.blocking(move |e| e.start_attached(&id)).await?;
            if let Err(session) = tx.send(session) {
                // The attach client went away meanwhile: follow the exit ourselves.
                drop(session);
                watch_exit(api, full);
            }
        }
        None => {
            api.blocking(move |e| e.start_container(&id)).await?;
            watch_exit(api, full);
        }
    }
    Ok(())
}

/// Records the exit code of a container this service started, for `wait`.
fn watch_exit(api: &Api, id: &str) {
    let engine = api.engine.clone();
    let exits = api.exits.clone();
    let id = id.to_string();
    std::thread::spawn(move || {
        if let Ok(code) = engine.wait_container(&id) {
            exits.record(&id, code);
        }
    });
}

/// Docker's `t` (seconds before SIGKILL).
fn timeout(t: &Target) -> Result<Option<u32>, ApiError> {
    t.get("t")
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map(|n| n.max(0) as u32)
                .map_err(|_| ApiError::bad_request(format!("invalid value for t: '{s}'")))
        })
        .transpose()
}

/// `POST /containers/{id}/stop?t`.
pub async fn stop(api: &Api, id: &str, t: &Target) -> Handled {
    let (id, secs) = (id.to_string(), timeout(t)?);
    api.blocking(move |e| e.stop_container(&id, secs)).await?;
    empty(StatusCode::NO_CONTENT)
}

/// `POST /containers/{id}/restart?t`.
pub async fn restart(api: &Api, id: &str, t: &Target) -> Handled {
    let (id, secs) = (id.to_string(), timeout(t)?);
    let full = api
        .blocking(move |e| {
            e.restart_container(&id, secs)?;
            e.container(&id).map(|c| c.id().to_string())
        })
        .await?;
    watch_exit(api, &full);
    empty(StatusCode::NO_CONTENT)
}

/// `POST /containers/{id}/kill?signal` (default SIGKILL).
pub async fn kill(api: &Api, id: &str, t: &Target) -> Handled {
    let id = id.to_string();
    let signal = t
        .get("signal")
        .filter(|s| !s.is_empty())
        .unwrap_or("KILL")
        .to_string();
    api.blocking(move |e| e.kill_container(&id, &signal))
        .await?;
    empty(StatusCode::NO_CONTENT)
}

/// `DELETE /containers/{id}?force&v`.
pub async fn remove(api: &Api, id: &str, t: &Target) -> Handled {
    let (id, force, volumes) = (id.to_string(), t.flag("force"), t.flag("v"));
    api.blocking(move |e| e.remove_container(&id, force, volumes))
        .await?;
    empty(StatusCode::NO_CONTENT)
}

/// `POST /containers/{id}/resize?h&w`: the terminal size of the container's tty.
pub async fn resize(api: &Api, id: &str, t: &Target) -> Handled {
    let num = |k: &str| -> Result<u16, ApiError> {
        t.get(k)
            .unwrap_or("0")
            .parse()
            .map_err(|_| ApiError::bad_request(format!("invalid value for {k}")))
    };
    let (rows, cols) = (num("h")?, num("w")?);
    let key = id.to_string();
    let c = api.blocking(move |e| e.container(&key)).await?;
    let live = api
        .inputs
        .lock()
        .ok()
        .and_then(|m| m.get(c.id().as_str()).cloned());
    let id = c.id().to_string();
    let resized = api
        .blocking(move |e| {
            Ok(match live {
                Some(input) => input.resize(rows, cols),
                None => e.attach(&id)?.input().resize(rows, cols),
            })
        })
        .await?;
    resized.map_err(|err| ApiError::internal(format!("cannot resize: {err}")))?;
    empty(StatusCode::OK)
}

/// `POST /containers/{id}/pause`.
pub async fn pause(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    api.blocking(move |e| e.pause_container(&id)).await?;
    empty(StatusCode::NO_CONTENT)
}

/// `POST /containers/{id}/unpause`.
pub async fn unpause(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    api.blocking(move |e| e.unpause_container(&id)).await?;
    empty(StatusCode::NO_CONTENT)
}

/// `POST /containers/{id}/rename?name=`.
pub async fn rename(api: &Api, id: &str, t: &Target) -> Handled {
    let name = t
        .get("name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::bad_request("rename needs a new name"))?
        .to_string();
    let id = id.to_string();
    api.blocking(move |e| e.rename_container(&id, &name))
        .await?;
    empty(StatusCode::NO_CONTENT)
}
