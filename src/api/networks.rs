//! Networks: list, inspect, create, remove, connect, disconnect, with Docker's documents
//! (`network_document` is what `berth network inspect` prints).

use super::body::{Handled, empty, json, ok_json};
use super::containers::{filters, label_matches, matches_filters};
use super::create::{Endpoint, read_json};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::NetworkCreateOptions;
use hyper::StatusCode;
use hyper::body::Incoming;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// `GET /networks?filters` (name, id, driver, label, scope, type).
pub async fn list(api: &Api, t: &Target) -> Handled {
    let filters = filters(t)?;
    let docs = api
        .blocking(|e| {
            e.networks()?
                .iter()
                .map(|n| e.network_document(&n.id).map(|d| as_dockerd(e, d)))
                .collect::<crate::engine::Result<Vec<Value>>>()
        })
        .await?;
    let mut out = Vec::new();
    for d in docs {
        let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        let keep = matches_filters(&filters, |key, v| {
            Ok(match key {
                "name" => s("Name").contains(v),
                "id" => s("Id").starts_with(v),
                "driver" => s("Driver") == v,
                "label" => d["Labels"].as_object().is_some_and(|l| label_matches(l, v)),
                "scope" => v == "local",
                "type" => {
                    let builtin = matches!(s("Name").as_str(), "bridge" | "host" | "none");
                    (v == "builtin") == builtin
                }
                other => {
                    return Err(ApiError::bad_request(format!("invalid filter '{other}'")));
                }
            })
        })?;
        if keep {
            out.push(d);
        }
    }
    ok_json(&Value::Array(out))
}

/// Docker's `Options` of a user network: only the driver options its creator gave.
/// `berth network inspect` also shows the bridge's name and the default MTU; dockerd does
/// not, and docker-compose recreates a network whose options differ from its file's.
fn as_dockerd(e: &crate::engine::Engine, mut doc: Value) -> Value {
    let builtin = matches!(doc["Name"].as_str(), Some("bridge" | "host" | "none"));
    if let Some(opts) = doc["Options"].as_object_mut().filter(|_| !builtin) {
        opts.remove("com.docker.network.bridge.name");
        let default_mtu = e.options().network_mtu.to_string();
        if opts
            .get(crate::engine::NETWORK_MTU_OPTION)
            .is_some_and(|m| m.as_str() == Some(default_mtu.as_str()))
        {
            opts.remove(crate::engine::NETWORK_MTU_OPTION);
        }
    }
    doc
}

/// `GET /networks/{id}`.
pub async fn inspect(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    let doc = api
        .blocking(move |e| e.network_document(&id).map(|d| as_dockerd(e, d)))
        .await?;
    ok_json(&doc)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CreateBody {
    name: String,
    driver: Option<String>,
    internal: Option<bool>,
    labels: Option<BTreeMap<String, String>>,
    options: Option<BTreeMap<String, String>>,
    #[serde(rename = "IPAM")]
    ipam: Option<Ipam>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Ipam {
    config: Option<Vec<IpamConfig>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct IpamConfig {
    subnet: Option<String>,
    gateway: Option<String>,
    #[serde(rename = "IPRange")]
    ip_range: Option<String>,
}

/// `POST /networks/create`: 201 with the id.
pub async fn create(api: &Api, body: Incoming) -> Handled {
    let b: CreateBody = read_json(body).await?;
    let pool = b
        .ipam
        .and_then(|i| i.config)
        .and_then(|c| c.into_iter().next())
        .unwrap_or_default();
    let opts = NetworkCreateOptions {
        name: b.name,
        driver: b.driver.filter(|d| !d.is_empty()),
        subnet: pool.subnet.filter(|s| !s.is_empty()),
        gateway: pool.gateway.filter(|s| !s.is_empty()),
        ip_range: pool.ip_range.filter(|s| !s.is_empty()),
        internal: b.internal.unwrap_or(false),
        labels: b.labels.unwrap_or_default(),
        options: b.options.unwrap_or_default(),
    };
    let n = api.blocking(move |e| e.create_network(&opts)).await?;
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({ "Id": n.id, "Warning": "" }),
    ))
}

/// `DELETE /networks/{id}`.
pub async fn remove(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    api.blocking(move |e| e.remove_network(&id)).await?;
    empty(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ConnectBody {
    container: String,
    endpoint_config: Option<Endpoint>,
}

/// `POST /networks/{id}/connect`: `Container` with `EndpointConfig.Aliases` and
/// `EndpointConfig.IPAMConfig.IPv4Address`.
pub async fn connect(api: &Api, id: &str, body: Incoming) -> Handled {
    let b: ConnectBody = read_json(body).await?;
    let endpoint = b.endpoint_config.unwrap_or_default();
    let (aliases, ip) = (endpoint.alias_list(), endpoint.ip());
    let id = id.to_string();
    api.blocking(move |e| e.connect_network(&id, &b.container, &aliases, ip.as_deref()))
        .await?;
    empty(StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct DisconnectBody {
    container: String,
}

/// `POST /networks/{id}/disconnect`.
pub async fn disconnect(api: &Api, id: &str, body: Incoming) -> Handled {
    let b: DisconnectBody = read_json(body).await?;
    let id = id.to_string();
    api.blocking(move |e| e.disconnect_network(&id, &b.container))
        .await?;
    empty(StatusCode::OK)
}
