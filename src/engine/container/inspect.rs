//! The `docker container inspect` document of a container: Docker's field names, shapes and
//! order, built from the container's records and the state root's layout.

use super::{Container, MountKind, Status};
use crate::engine::store::Paths;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Go's zero `time.Time`, which Docker prints for a time that never happened.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The inspect document, in Docker's key order (serialize it directly to keep that order).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Document {
    /// Full id.
    pub id: String,
    /// Creation time, RFC 3339 with nanoseconds.
    pub created: String,
    /// The program (first word of entrypoint + cmd).
    pub path: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The runtime state.
    pub state: Value,
    /// Image id.
    pub image: String,
    /// `containers/<id>/resolv.conf`.
    pub resolv_conf_path: String,
    /// `containers/<id>/hostname`.
    pub hostname_path: String,
    /// `containers/<id>/hosts`.
    pub hosts_path: String,
    /// `containers/<id>/<id>-json.log`.
    pub log_path: String,
    /// `/name`.
    pub name: String,
    /// Restarts done by the restart policy.
    pub restart_count: u32,
    /// Always `overlay2`.
    pub driver: String,
    /// Always `linux`.
    pub platform: String,
    /// SELinux mount label (empty).
    pub mount_label: String,
    /// SELinux process label (empty).
    pub process_label: String,
    /// AppArmor profile (empty).
    pub app_armor_profile: String,
    /// Exec sessions (none).
    #[serde(rename = "ExecIDs")]
    pub exec_ids: Value,
    /// How it was asked to run.
    pub host_config: Value,
    /// The overlay directories.
    pub graph_driver: Value,
    /// Mounts as they are.
    pub mounts: Vec<Value>,
    /// The container's configuration.
    pub config: Value,
    /// Networking.
    pub network_settings: Value,
}

/// Go's `time.RFC3339Nano`: nanoseconds with trailing zeros removed.
pub fn rfc3339_nano(t: DateTime<Utc>) -> String {
    let s = t.to_rfc3339_opts(SecondsFormat::Nanos, true);
    match s.split_once('.') {
        Some((secs, frac)) => {
            let frac = frac.trim_end_matches('Z').trim_end_matches('0');
            if frac.is_empty() {
                format!("{secs}Z")
            } else {
                format!("{secs}.{frac}Z")
            }
        }
        None => s,
    }
}

fn time_or_zero(t: Option<DateTime<Utc>>) -> String {
    t.map(rfc3339_nano).unwrap_or_else(|| ZERO_TIME.to_string())
}

fn path_string(p: std::path::PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

/// The whole document as JSON (keys sorted; use `document` to keep Docker's order).
pub fn inspect_document(c: &Container, paths: &Paths) -> Value {
    serde_json::to_value(document(c, paths)).unwrap_or(Value::Null)
}

/// Builds the inspect document of `c`.
pub fn document(c: &Container, paths: &Paths) -> Document {
    let cfg = &c.config;
    let dir = paths.container(&cfg.id);
    let argv = cfg.argv();
    Document {
        id: cfg.id.clone(),
        created: rfc3339_nano(cfg.created),
        path: argv.first().cloned().unwrap_or_default(),
        args: argv.iter().skip(1).cloned().collect(),
        state: state(c),
        image: cfg.image_id.clone(),
        resolv_conf_path: path_string(dir.join("resolv.conf")),
        hostname_path: path_string(dir.join("hostname")),
        hosts_path: path_string(dir.join("hosts")),
        log_path: path_string(super::record::log_path(paths, &cfg.id)),
        name: format!("/{}", cfg.name),
        restart_count: c.state.restart_count,
        driver: "overlay2".into(),
        platform: "linux".into(),
        mount_label: String::new(),
        process_label: String::new(),
        app_armor_profile: String::new(),
        exec_ids: Value::Null,
        host_config: host_config(c, paths),
        graph_driver: graph_driver(c, paths),
        mounts: mounts(c, paths),
        config: config(c),
        network_settings: crate::engine::network::inspect::container_settings(c, paths),
    }
}

fn state(c: &Container) -> Value {
    let s = &c.state;
    let running = matches!(
        s.status,
        Status::Running | Status::Paused | Status::Restarting
    );
    json!({
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
    })
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
            let target = super::record::load(paths, &l.target)
                .map(|t| t.config.name)
                .unwrap_or_else(|_| l.target.clone());
            format!("/{target}:/{}/{}", cfg.name, l.alias)
        })
        .collect();
    json!(list)
}

fn host_config(c: &Container, paths: &Paths) -> Value {
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
        "PortBindings": {},
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

/// A list as Docker shows it: `null` when empty.
fn none_if_empty(v: &[String]) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

fn graph_driver(c: &Container, paths: &Paths) -> Value {
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

fn mounts(c: &Container, paths: &Paths) -> Vec<Value> {
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

fn config(c: &Container) -> Value {
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
    if let (Some(o), Value::Object(rest)) = (out.as_object_mut(), rest) {
        o.extend(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::container::{
        ContainerConfig, ContainerState, MountSpec, Resources, RestartPolicy,
    };
    use chrono::TimeZone;

    /// A container as `create` + `start` would have recorded it.
    fn sample() -> Container {
        let created = Utc
            .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
            .single()
            .expect("valid time")
            + chrono::Duration::nanoseconds(120_000_000);
        Container {
            config: ContainerConfig {
                id: "a".repeat(64),
                name: "web".into(),
                created,
                image: "alpine".into(),
                image_id: format!("sha256:{}", "b".repeat(64)),
                layers: vec!["l1".into(), "l2".into()],
                cmd: vec!["sh".into(), "-c".into(), "sleep 100".into()],
                env: vec!["PATH=/bin".into()],
                working_dir: "/".into(),
                hostname: "aaaaaaaaaaaa".into(),
                labels: [("k".to_string(), "v".to_string())].into_iter().collect(),
                mounts: vec![
                    MountSpec {
                        kind: MountKind::Volume,
                        source: "data".into(),
                        destination: "/data".into(),
                        read_only: false,
                        options: String::new(),
                    },
                    MountSpec {
                        kind: MountKind::Tmpfs,
                        source: String::new(),
                        destination: "/tmp".into(),
                        read_only: false,
                        options: "size=64m".into(),
                    },
                ],
                resources: Resources {
                    memory: Some(1 << 20),
                    nano_cpus: None,
                    pids_limit: Some(100),
                },
                restart: RestartPolicy {
                    name: "on-failure".into(),
                    max_retry: 3,
                },
                network_mode: "none".into(),
                stop_signal: "SIGTERM".into(),
                ..Default::default()
            },
            state: ContainerState {
                status: Status::Running,
                pid: 1234,
                started_at: Some(created),
                ..Default::default()
            },
        }
    }

    #[test]
    fn document_has_docker_shape() {
        let paths = Paths::new(std::path::Path::new("/var/lib/berth"));
        let d = inspect_document(&sample(), &paths);
        let id = "a".repeat(64);
        assert_eq!(d["Id"], json!(id));
        assert_eq!(d["Created"], json!("2026-11-27T10:00:00.12Z"));
        assert_eq!(d["Path"], json!("sh"));
        assert_eq!(d["Args"], json!(["-c", "sleep 100"]));
        assert_eq!(d["Name"], json!("/web"));
        assert_eq!(d["State"]["Pid"], json!(1234));
        assert_eq!(d["State"]["Running"], json!(true));
        assert_eq!(d["State"]["FinishedAt"], json!(ZERO_TIME));
        assert_eq!(
            d["LogPath"],
            json!(format!("/var/lib/berth/containers/{id}/{id}-json.log"))
        );
        assert_eq!(
            d["HostsPath"],
            json!(format!("/var/lib/berth/containers/{id}/hosts"))
        );
        assert_eq!(
            d["HostConfig"]["RestartPolicy"]["MaximumRetryCount"],
            json!(3)
        );
        assert_eq!(d["HostConfig"]["Binds"], json!(["data:/data"]));
        assert_eq!(d["HostConfig"]["Tmpfs"], json!({"/tmp": "size=64m"}));
        assert_eq!(d["HostConfig"]["PidsLimit"], json!(100));
        assert_eq!(
            d["GraphDriver"]["Data"]["LowerDir"],
            json!("/var/lib/berth/layers/l2/diff:/var/lib/berth/layers/l1/diff")
        );
        assert_eq!(d["Mounts"][0]["Type"], json!("volume"));
        assert_eq!(
            d["Mounts"][0]["Source"],
            json!("/var/lib/berth/volumes/data/_data")
        );
        assert_eq!(d["Config"]["Image"], json!("alpine"));
        assert_eq!(d["Config"]["Entrypoint"], Value::Null);
        assert_eq!(d["Config"]["Labels"], json!({"k": "v"}));
        assert_eq!(
            d["NetworkSettings"]["Networks"]["none"]["IPPrefixLen"],
            json!(0)
        );
        assert_eq!(d["Driver"], json!("overlay2"));
    }

    #[test]
    fn stopped_container_has_no_pid_and_keeps_order() {
        let mut c = sample();
        c.state.status = Status::Exited;
        c.state.exit_code = 2;
        let paths = Paths::new(std::path::Path::new("/r"));
        let d = inspect_document(&c, &paths);
        assert_eq!(d["State"]["Pid"], json!(0));
        assert_eq!(d["State"]["Running"], json!(false));
        assert_eq!(d["State"]["ExitCode"], json!(2));
        let text = serde_json::to_string(&document(&c, &paths)).expect("serialize");
        assert!(text.starts_with("{\"Id\":"), "{text}");
        assert!(text.find("\"Created\"") < text.find("\"Path\""));
    }
}
