//! `POST /containers/create`: Docker's container config (and its `HostConfig`) to the
//! engine's `CreateOptions`. Fields berth does not know are ignored, as older daemons do.

use super::body::{Handled, json};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{
    CreateOptions, HealthConfig, RestartPolicy, parse_port_binding, parse_volume_flag,
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct HostConfig {
    auto_remove: Option<bool>,
    network_mode: Option<String>,
    port_bindings: Option<BTreeMap<String, Option<Vec<HostPort>>>>,
    binds: Option<Vec<String>>,
    memory: Option<i64>,
    restart_policy: Option<Restart>,
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
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON in the request body: {e}")))
}

/// The engine's options for Docker's config.
fn options(c: Config, name: Option<String>) -> Result<CreateOptions, ApiError> {
    if c.image.is_empty() {
        return Err(ApiError::bad_request("config has no Image"));
    }
    let h = c.host_config.unwrap_or_default();
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
        network: h.network_mode.filter(|m| !m.is_empty() && m != "default"),
        ports,
        stop_timeout: c.stop_timeout.filter(|t| *t >= 0).map(|t| t as u32),
        healthcheck: c.healthcheck,
        ..CreateOptions::default()
    };
    o.resources.memory = h.memory.filter(|m| *m > 0);
    Ok(o)
}

/// `POST /containers/create?name=`: 201 with the new id.
pub async fn create(api: &Api, t: &Target, body: Incoming) -> Handled {
    let config: Config = read_json(body).await?;
    let name = t.get("name").filter(|n| !n.is_empty()).map(str::to_string);
    let opts = options(config, name)?;
    let c = api.blocking(move |e| e.create_container(&opts)).await?;
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({ "Id": c.id(), "Warnings": [] }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> CreateOptions {
        options(serde_json::from_str(s).expect("json"), None).expect("options")
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
