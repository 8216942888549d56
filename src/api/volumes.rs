//! Volumes: list, create, inspect, remove, with the document `berth volume inspect` prints.

use super::body::{Handled, empty, json, ok_json};
use super::containers::{filters, label_matches, matches_filters};
use super::create::read_json;
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use hyper::StatusCode;
use hyper::body::Incoming;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `GET /volumes?filters` (name, driver, label, dangling).
pub async fn list(api: &Api, t: &Target) -> Handled {
    let filters = filters(t)?;
    let dangling = filters.iter().any(|(k, _)| k == "dangling");
    let vols = api
        .blocking(move |e| {
            e.volumes()?
                .into_iter()
                .map(|v| {
                    let used = if dangling {
                        !e.volume_users(&v.meta.name)?.is_empty()
                    } else {
                        false
                    };
                    Ok((v, used))
                })
                .collect::<crate::engine::Result<Vec<_>>>()
        })
        .await?;
    let mut docs = Vec::new();
    for (v, used) in vols {
        let d = v.inspect_json();
        let keep = matches_filters(&filters, |key, value| {
            Ok(match key {
                "name" => v.meta.name.contains(value),
                "driver" => v.meta.driver == value,
                "label" => d["Labels"]
                    .as_object()
                    .is_some_and(|l| label_matches(l, value)),
                "dangling" => matches!(value, "true" | "1") != used,
                other => {
                    return Err(ApiError::bad_request(format!("invalid filter '{other}'")));
                }
            })
        })?;
        if keep {
            docs.push(d);
        }
    }
    ok_json(&serde_json::json!({ "Volumes": docs, "Warnings": [] }))
}

/// `GET /volumes/{name}`.
pub async fn inspect(api: &Api, name: &str) -> Handled {
    let name = name.to_string();
    let v = api.blocking(move |e| e.volume(&name)).await?;
    ok_json(&v.inspect_json())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CreateBody {
    name: Option<String>,
    driver: Option<String>,
    labels: Option<BTreeMap<String, String>>,
}

/// `POST /volumes/create`: 201 with the volume.
pub async fn create(api: &Api, body: Incoming) -> Handled {
    let b: CreateBody = read_json(body).await?;
    if let Some(d) = b
        .driver
        .as_deref()
        .filter(|d| !d.is_empty() && *d != "local")
    {
        return Err(ApiError::bad_request(format!(
            "volume driver '{d}' is not supported: berth has only 'local'"
        )));
    }
    let name = b.name.filter(|n| !n.is_empty());
    let labels = b.labels.unwrap_or_default();
    let v = api
        .blocking(move |e| e.create_volume(name.as_deref(), labels))
        .await?;
    Ok(json(StatusCode::CREATED, &v.inspect_json()))
}

/// `DELETE /volumes/{name}?force`.
pub async fn remove(api: &Api, name: &str, t: &Target) -> Handled {
    let (name, force) = (name.to_string(), t.flag("force"));
    api.blocking(move |e| e.remove_volume(&name, force)).await?;
    empty(StatusCode::NO_CONTENT)
}
