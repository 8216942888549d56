//! The `docker container inspect` document of a container: Docker's field names, shapes and
//! order, built from the container's records and the state root's layout.

mod sections;
#[cfg(test)]
mod tests;

use super::Container;
use crate::engine::store::Paths;
use crate::engine::{ContainerId, ImageId};
use chrono::{DateTime, SecondsFormat, Utc};
use sections::{config, graph_driver, host_config, mounts, state};
use serde::Serialize;
use serde_json::Value;

/// Go's zero `time.Time`, which Docker prints for a time that never happened.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The inspect document, in Docker's key order (serialize it directly to keep that order).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Document {
    /// Full id.
    pub id: ContainerId,
    /// Creation time, RFC 3339 with nanoseconds.
    pub created: String,
    /// The program (first word of entrypoint + cmd).
    pub path: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The runtime state.
    pub state: Value,
    /// Image id.
    pub image: ImageId,
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
        log_path: path_string(crate::engine::container::record::log_path(paths, &cfg.id)),
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
