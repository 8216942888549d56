//! `POST /containers/create`: Docker's container config (and its `HostConfig`) to the
//! engine's `CreateOptions`. Fields berth does not know are ignored, as older daemons do.

use super::body::{Handled, json};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{
    CreateOptions, HealthConfig, RestartPolicy, normalize_capability, parse_port_binding,
    parse_volume_flag,
};
use http_body_util::{BodyExt, Limited};
use hyper::StatusCode;
use hyper::body::Incoming;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The largest request body read (a container config is a few kilobytes).
pub const MAX_BODY: usize = 4 << 20;

/// A string or a list of strings (old clients send `Cmd` as one string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Words {
    One(String),
    Many(Vec<String>),
}

impl Words {
    fn into_vec(self) -> Vec<String> {
        match self {
            Words::One(s) => vec![s],
            Words::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Config {
    image: String,
    cmd: Option<Words>,
    entrypoint: Option<Words>,
    env: Option<Vec<String>>,
    working_dir: Option<String>,
    user: Option<String>,
    hostname: Option<String>,
    tty: Option<bool>,
    open_stdin: Option<bool>,
    labels: Option<BTreeMap<String, String>>,
    stop_timeout: Option<i64>,
    healthcheck: Option<HealthConfig>,
    host_config: Option<HostConfig>,
    networking_config: Option<NetworkingConfig>,
}

/// `NetworkingConfig`: the networks to join at create, by name, with their aliases.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct NetworkingConfig {
    endpoints_config: Option<BTreeMap<String, Option<Endpoint>>>,
}

/// One network's `EndpointSettings` (what berth uses of it).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(super) struct Endpoint {
    /// `--network-alias`.
    pub aliases: Option<Vec<String>>,
    /// `--ip`.
    #[serde(rename = "IPAMConfig")]
    pub ipam_config: Option<EndpointIpam>,
}

/// An endpoint's `IPAMConfig`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct EndpointIpam {
    /// The address asked for.
    #[serde(rename = "IPv4Address")]
    pub ipv4_address: Option<String>,
}

impl Endpoint {
    /// The aliases, without empty ones.
    pub fn alias_list(&self) -> Vec<String> {
        let mut a = self.aliases.clone().unwrap_or_default();
        a.retain(|s| !s.is_empty());
        a
    }

    /// The IPv4 address asked for, if any.
    pub fn ip(&self) -> Option<String> {
        self.ipam_config
            .as_ref()
            .and_then(|i| i.ipv4_address.clone())
            .filter(|s| !s.is_empty())
    }
}

/// Networks to connect after create (beyond the one the container is created on):
/// (network, aliases, address).
pub type ExtraNetworks = Vec<(String, Vec<String>, Option<String>)>;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct HostConfig {
    auto_remove: Option<bool>,
    network_mode: Option<String>,
    port_bindings: Option<BTreeMap<String, Option<Vec<HostPort>>>>,
    binds: Option<Vec<String>>,
    memory: Option<i64>,
    restart_policy: Option<Restart>,
    cap_add: Option<Vec<String>>,
    cap_drop: Option<Vec<String>>,
    privileged: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct HostPort {
    host_ip: Option<String>,
    host_port: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Restart {
    name: Option<String>,
    maximum_retry_count: Option<u32>,
}

/// Reads a JSON request body of at most [`MAX_BODY`] bytes.
pub async fn read_json<T: serde::de::DeserializeOwned>(body: Incoming) -> Result<T, ApiError> {
    let bytes = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?
        .to_bytes();
    tracing::debug!("body: {}", String::from_utf8_lossy(&bytes));
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON in the request body: {e}")))
}

/// The network to create on (`HostConfig.NetworkMode`, else the only entry of
/// `EndpointsConfig`), its endpoint settings, and the other networks of `EndpointsConfig`.
fn networks(
    mode: Option<String>,
    endpoints: BTreeMap<String, Option<Endpoint>>,
) -> (Option<String>, Endpoint, ExtraNetworks) {
    let mode = mode.filter(|m| !m.is_empty() && m != "default");
    let mut endpoints: BTreeMap<String, Endpoint> = endpoints
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect();
    // The docker CLI 28 names the default network `default` in EndpointsConfig too (beside
    // NetworkMode `default`): the engine's default network, not one called so.
    let default_endpoint = endpoints.remove("default");
    let primary = match mode {
        Some(m) => Some(m),
        None if endpoints.len() == 1 && default_endpoint.is_none() => {
            endpoints.keys().next().cloned()
        }
        None => None,
    };
    let own = match &primary {
        Some(p) => endpoints.remove(p),
        None => default_endpoint,
    }
    .unwrap_or_default();
    // `container:`, `host`, `none` modes join no other network.
    let joins = !primary
        .as_deref()
        .is_some_and(|p| matches!(p, "host" | "none") || p.starts_with("container:"));
    let extra = if joins {
        endpoints
            .into_iter()
            .map(|(n, e)| {
                let (aliases, ip) = (e.alias_list(), e.ip());
                (n, aliases, ip)
            })
            .collect()
    } else {
        Vec::new()
    };
    (primary, own, extra)
}

/// Capability names as the CLI takes them (`NET_ADMIN`, `CAP_NET_ADMIN`, `ALL`).
fn capabilities(names: Option<Vec<String>>, field: &str) -> Result<Vec<String>, ApiError> {
    names
        .unwrap_or_default()
        .iter()
        .map(|n| {
            normalize_capability(n)
                .map_err(|e| ApiError::bad_request(format!("invalid {field}: {e}")))
        })
        .collect()
}

/// The engine's options for Docker's config, and the networks to connect after create.
fn options(c: Config, name: Option<String>) -> Result<(CreateOptions, ExtraNetworks), ApiError> {
    if c.image.is_empty() {
        return Err(ApiError::bad_request("config has no Image"));
    }
    let h = c.host_config.unwrap_or_default();
    let endpoints = c
        .networking_config
        .and_then(|n| n.endpoints_config)
        .unwrap_or_default();
    let (network, endpoint, extra) = networks(h.network_mode, endpoints);
    let mut cmd = c.cmd.map(Words::into_vec).unwrap_or_default();
    // Docker's Entrypoint is a list; the engine takes one program and the rest as Cmd.
    let entrypoint = c.entrypoint.map(Words::into_vec).map(|mut ep| {
        if ep.is_empty() {
            return String::new();
        }
        let first = ep.remove(0);
        ep.append(&mut cmd);
        cmd = ep;
        first
    });
    let mut ports = Vec::new();
    for (port, bindings) in h.port_bindings.unwrap_or_default() {
        for b in bindings.unwrap_or_default() {
            let ip = b.host_ip.unwrap_or_default();
            let host = b.host_port.unwrap_or_default();
            let spec = match (ip.is_empty(), host.is_empty()) {
                (true, true) => port.clone(),
                (true, false) => format!("{host}:{port}"),
                (false, _) => format!("{ip}:{host}:{port}"),
            };
            ports
                .push(parse_port_binding(&spec).map_err(|e| ApiError::bad_request(e.to_string()))?);
        }
    }
    let mounts = h
        .binds
        .unwrap_or_default()
        .iter()
        .map(|b| parse_volume_flag(b).map_err(|e| ApiError::bad_request(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let restart = match h.restart_policy {
        Some(r) => {
            let name = r.name.unwrap_or_default();
            let spec = match r.maximum_retry_count {
                Some(n) if n > 0 && name == "on-failure" => format!("{name}:{n}"),
                _ => name,
            };
            RestartPolicy::parse(&spec).map_err(|e| ApiError::bad_request(e.to_string()))?
        }
        None => RestartPolicy::default(),
    };
    let mut o = CreateOptions {
        image: c.image,
        name,
        cmd,
        entrypoint,
        env: c.env.unwrap_or_default(),
        working_dir: c.working_dir.filter(|s| !s.is_empty()),
        user: c.user.filter(|s| !s.is_empty()),
        hostname: c.hostname.filter(|s| !s.is_empty()),
        labels: c.labels.unwrap_or_default(),
        tty: c.tty.unwrap_or(false),
        open_stdin: c.open_stdin.unwrap_or(false),
        mounts,
        restart,
        auto_remove: h.auto_remove.unwrap_or(false),
        network,
        network_aliases: endpoint.alias_list(),
        ip: endpoint.ip(),
        ports,
        stop_timeout: c.stop_timeout.filter(|t| *t >= 0).map(|t| t as u32),
        healthcheck: c.healthcheck,
        ..CreateOptions::default()
    };
    o.resources.memory = h.memory.filter(|m| *m > 0);
    o.security.cap_add = capabilities(h.cap_add, "CapAdd")?;
    o.security.cap_drop = capabilities(h.cap_drop, "CapDrop")?;
    o.security.privileged = h.privileged.unwrap_or(false);
    Ok((o, extra))
}

/// `POST /containers/create?name=`: 201 with the new id.
pub async fn create(api: &Api, t: &Target, body: Incoming) -> Handled {
    let config: Config = read_json(body).await?;
    let name = t.get("name").filter(|n| !n.is_empty()).map(str::to_string);
    let (opts, extra) = options(config, name)?;
    let c = api
        .blocking(move |e| {
            let c = e.create_container(&opts)?;
            for (net, aliases, ip) in &extra {
                if let Err(err) = e.connect_network(net, c.id(), aliases, ip.as_deref()) {
                    // Nothing half-made: the container goes when a network cannot be joined.
                    let _ = e.remove_container(c.id(), true, false);
                    return Err(err);
                }
            }
            Ok(c)
        })
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({ "Id": c.id(), "Warnings": [] }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> CreateOptions {
        options(serde_json::from_str(s).expect("json"), None)
            .expect("options")
            .0
    }

    #[test]
    fn endpoints_config_gives_the_network_its_aliases_and_the_others_to_connect() {
        let json = r#"{"Image":"b","HostConfig":{"NetworkMode":"p_app","CapAdd":["net_admin"],
            "CapDrop":["CAP_NET_RAW"]},
            "NetworkingConfig":{"EndpointsConfig":{"p_app":{"Aliases":["shared","web"],
              "IPAMConfig":{"IPv4Address":"172.30.0.9"}},"p_back":{"Aliases":["db"]}}}}"#;
        let (o, extra) = options(serde_json::from_str(json).expect("json"), None).expect("ok");
        assert_eq!(o.network.as_deref(), Some("p_app"));
        assert_eq!(o.network_aliases, ["shared", "web"]);
        assert_eq!(o.ip.as_deref(), Some("172.30.0.9"));
        assert_eq!(
            extra,
            [("p_back".to_string(), vec!["db".to_string()], None)]
        );
        assert_eq!(o.security.cap_add, ["CAP_NET_ADMIN"]);
        assert_eq!(o.security.cap_drop, ["CAP_NET_RAW"]);
        // Without NetworkMode, the only endpoint is the network.
        let o = parse(r#"{"Image":"b","NetworkingConfig":{"EndpointsConfig":{"n":null}}}"#);
        assert_eq!(o.network.as_deref(), Some("n"));
        // The docker CLI's `run` without --network: the engine's default network.
        let (o, extra) = options(
            serde_json::from_str(
                r#"{"Image":"b","HostConfig":{"NetworkMode":"default"},
                   "NetworkingConfig":{"EndpointsConfig":{"default":{"Aliases":null}}}}"#,
            )
            .expect("json"),
            None,
        )
        .expect("ok");
        assert_eq!((o.network, extra.len()), (None, 0));
        let bad = r#"{"Image":"b","HostConfig":{"CapAdd":["NOPE"]}}"#;
        assert!(options(serde_json::from_str(bad).expect("json"), None).is_err());
    }

    #[test]
    fn dockers_config_becomes_create_options() {
        let o = parse(
            r#"{"Image":"busybox","Cmd":["echo","hi"],"Entrypoint":null,"Env":["A=1"],
               "Tty":true,"OpenStdin":false,"Labels":{"k":"v"},
               "HostConfig":{"AutoRemove":true,"NetworkMode":"none","Memory":6291456,
                 "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},
                 "Binds":["/tmp:/data:ro"],
                 "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2}}}"#,
        );
        assert_eq!(o.cmd, ["echo", "hi"]);
        assert_eq!(o.entrypoint, None);
        assert!(o.tty && o.auto_remove);
        assert_eq!(o.network.as_deref(), Some("none"));
        assert_eq!(o.resources.memory, Some(6291456));
        assert_eq!(o.ports[0].host_port, 8080);
        assert_eq!(o.ports[0].container_port, 80);
        assert_eq!(o.mounts[0].destination, "/data");
        assert!(o.mounts[0].read_only);
        assert_eq!(o.restart.name, "on-failure");
        assert_eq!(o.restart.max_retry, 2);
        assert_eq!(o.labels["k"], "v");
    }

    #[test]
    fn a_list_entrypoint_keeps_its_arguments_before_cmd() {
        let o = parse(r#"{"Image":"b","Entrypoint":["sh","-c"],"Cmd":["exit 3"]}"#);
        assert_eq!(o.entrypoint.as_deref(), Some("sh"));
        assert_eq!(o.cmd, ["-c", "exit 3"]);
        let o = parse(r#"{"Image":"b","Entrypoint":[],"HostConfig":{"NetworkMode":"default"}}"#);
        assert_eq!(o.entrypoint.as_deref(), Some(""));
        assert_eq!(o.network, None);
    }

    #[test]
    fn a_config_without_image_is_refused() {
        let c: Config = serde_json::from_str(r#"{"Cmd":["true"]}"#).expect("json");
        assert!(options(c, None).is_err());
    }
}
