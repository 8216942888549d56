//! The sections of the inspect document: `State`, `HostConfig`, `GraphDriver`, `Mounts`
//! and `Config`, each from the container's records.

use super::{path_string, time_or_zero};
use crate::engine::container::{Container, ContainerConfig, MountKind, Status};
use crate::engine::store::Paths;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `State`: status, pids, exit code and times.
pub(super) fn state(c: &Container) -> Value {
    let s = &c.state;
    let running = matches!(
        s.status,
        Status::Running | Status::Paused | Status::Restarting
    );
    let mut out = json!({
        "Status": s.status.as_str(),
        "Running": running,
        "Paused": s.status == Status::Paused,
        "Restarting": s.status == Status::Restarting,
        "OOMKilled": s.oom_killed,
        "Dead": s.status == Status::Dead,
        "Pid": if running { s.pid } else { 0 },
        "ExitCode": s.exit_code,
        "Error": s.error,
        "StartedAt": time_or_zero(s.started_at),
        "FinishedAt": time_or_zero(s.finished_at),
    });
    if let Some(h) = &s.health {
        out["Health"] = health(h);
    }
    out
}

/// `State.Health`: status, failing streak and the last results, times as Docker writes them.
fn health(h: &crate::engine::container::Health) -> Value {
    let log: Vec<Value> = h
        .log
        .iter()
        .map(|r| {
            json!({
                "Start": super::rfc3339_nano(r.start),
                "End": super::rfc3339_nano(r.end),
                "ExitCode": r.exit_code,
                "Output": r.output,
            })
        })
        .collect();
    json!({"Status": h.status.as_str(), "FailingStreak": h.failing_streak, "Log": log})
}

/// `HostConfig.Links`: `/TARGET:/THIS/ALIAS` per legacy link (not on a user network,
/// where Docker keeps links per endpoint), with the target's name now.
fn links(c: &Container, paths: &Paths) -> Value {
    let cfg = &c.config;
    if cfg.net.links.is_empty() || crate::engine::network::is_user_network(&cfg.network_mode) {
        return Value::Null;
    }
    let list: Vec<String> = cfg
        .net
        .links
        .iter()
        .map(|l| {
            let target = crate::engine::container::record::load(paths, &l.target)
                .map(|t| t.config.name)
                .unwrap_or_else(|_| l.target.clone());
            format!("/{target}:/{}/{}", cfg.name, l.alias)
        })
        .collect();
    json!(list)
}

/// `HostConfig`: what `run` was asked for (binds, ports, restart policy, limits...).
pub(super) fn host_config(c: &Container, paths: &Paths) -> Value {
    let cfg = &c.config;
    let binds: Vec<String> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind != MountKind::Tmpfs)
        .map(|m| {
            let ro = if m.read_only { ":ro" } else { "" };
            format!("{}:{}{ro}", m.source, m.destination)
        })
        .collect();
    let tmpfs: BTreeMap<&str, &str> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind == MountKind::Tmpfs)
        .map(|m| (m.destination.as_str(), m.options.as_str()))
        .collect();
    json!({
        "Binds": if binds.is_empty() { Value::Null } else { json!(binds) },
        "LogConfig": {"Type": cfg.log_config.driver, "Config": cfg.log_config.options},
        "NetworkMode": cfg.network_mode,
        "PortBindings": port_bindings(cfg),
        "Links": links(c, paths),
        "RestartPolicy": {"Name": cfg.restart.name, "MaximumRetryCount": cfg.restart.max_retry},
        "AutoRemove": cfg.auto_remove,
        "Privileged": cfg.security.privileged,
        "CapAdd": none_if_empty(&cfg.security.cap_add),
        "CapDrop": none_if_empty(&cfg.security.cap_drop),
        "SecurityOpt": none_if_empty(&cfg.security.security_opt()),
        "Devices": cfg.security.devices.iter().map(|d| json!({
            "PathOnHost": d.host,
            "PathInContainer": d.container,
            "CgroupPermissions": d.perms,
        })).collect::<Vec<_>>(),
        "ReadonlyRootfs": cfg.read_only,
        "Tmpfs": if tmpfs.is_empty() { Value::Null } else { json!(tmpfs) },
        "Memory": cfg.resources.memory.unwrap_or(0),
        "NanoCpus": cfg.resources.nano_cpus.unwrap_or(0),
        "PidsLimit": cfg.resources.pids_limit,
        "CgroupnsMode": "private",
    })
}

/// `HostConfig.PortBindings` as Docker's: `{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`,
/// a port chosen at start (`-p 80`) as `""`, `{}` when nothing is published.
fn port_bindings(cfg: &ContainerConfig) -> Value {
    let mut map = serde_json::Map::new();
    for p in &cfg.net.ports {
        let host_port = match p.host_port {
            0 => String::new(),
            n => n.to_string(),
        };
        let entry = json!({"HostIp": p.host_ip, "HostPort": host_port});
        let key = format!("{}/{}", p.container_port, p.protocol);
        match map.get_mut(&key) {
            Some(Value::Array(list)) => list.push(entry),
            _ => {
                map.insert(key, json!([entry]));
            }
        }
    }
    Value::Object(map)
}

/// A list as Docker shows it: `null` when empty.
fn none_if_empty(v: &[String]) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

/// `GraphDriver`: the overlay's layers, upper and merged directories.
pub(super) fn graph_driver(c: &Container, paths: &Paths) -> Value {
    let cfg = &c.config;
    let dir = paths.container(&cfg.id);
    // overlay's lowerdir lists the top layer first.
    let lower: Vec<String> = cfg
        .layers
        .iter()
        .rev()
        .map(|l| path_string(paths.layers().join(l).join("diff")))
        .collect();
    json!({
        "Data": {
            "LowerDir": lower.join(":"),
            // Mounted there inside the container's mount namespace only.
            "MergedDir": path_string(paths.rootfs_mountpoint()),
            "UpperDir": path_string(dir.join("rw").join("upper")),
            "WorkDir": path_string(dir.join("rw").join("work")),
        },
        "Name": "overlay2",
    })
}

/// `Mounts`: volumes, binds and tmpfs mounts as Docker lists them.
pub(super) fn mounts(c: &Container, paths: &Paths) -> Vec<Value> {
    c.config
        .mounts
        .iter()
        .map(|m| {
            let mut o = Map::new();
            let (kind, source) = match m.kind {
                MountKind::Bind => ("bind", m.source.clone()),
                MountKind::Volume => (
                    "volume",
                    path_string(paths.volumes().join(&m.source).join("_data")),
                ),
                MountKind::Tmpfs => ("tmpfs", String::new()),
            };
            o.insert("Type".into(), json!(kind));
            if m.kind == MountKind::Volume {
                o.insert("Name".into(), json!(m.source));
            }
            o.insert("Source".into(), json!(source));
            o.insert("Destination".into(), json!(m.destination));
            if m.kind == MountKind::Volume {
                o.insert("Driver".into(), json!("local"));
            }
            o.insert("Mode".into(), json!(if m.read_only { "ro" } else { "" }));
            o.insert("RW".into(), json!(!m.read_only));
            let propagation = if m.kind == MountKind::Bind {
                "rprivate"
            } else {
                ""
            };
            o.insert("Propagation".into(), json!(propagation));
            Value::Object(o)
        })
        .collect()
}

/// `Config`: the process, environment, labels and exposed ports.
pub(super) fn config(c: &Container) -> Value {
    let cfg = &c.config;
    let volumes: BTreeMap<&str, Value> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind == MountKind::Volume)
        .map(|m| (m.destination.as_str(), json!({})))
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() { Value::Null } else { json!(v) }
    };
    let mut out = json!({
        "Hostname": cfg.hostname,
        "Domainname": "",
        "User": cfg.user,
        "AttachStdin": false,
        "AttachStdout": false,
        "AttachStderr": false,
    });
    // Docker leaves `ExposedPorts` out when there are none.
    if !cfg.net.exposed_ports.is_empty() {
        let exposed: Map<String, Value> = cfg
            .net
            .exposed_ports
            .iter()
            .map(|k| (k.clone(), json!({})))
            .collect();
        out["ExposedPorts"] = Value::Object(exposed);
    }
    let rest = json!({
        "Tty": cfg.tty,
        "OpenStdin": cfg.open_stdin,
        "StdinOnce": false,
        "Env": list(&cfg.env),
        "Cmd": list(&cfg.cmd),
        "Image": cfg.image,
        "Volumes": if volumes.is_empty() { Value::Null } else { json!(volumes) },
        "WorkingDir": cfg.working_dir,
        "Entrypoint": list(&cfg.entrypoint),
        "OnBuild": Value::Null,
        "Labels": cfg.labels,
        "StopSignal": cfg.stop_signal,
        "StopTimeout": cfg.stop_timeout,
    });
    if let Some(h) = &cfg.healthcheck {
        out["Healthcheck"] = json!(h);
    }
    if !cfg.shell.is_empty() {
        out["Shell"] = json!(cfg.shell);
    }
    if let (Some(o), Value::Object(rest)) = (out.as_object_mut(), rest) {
        o.extend(rest);
    }
    out
}
