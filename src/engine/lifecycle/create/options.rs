//! `CreateOptions`: what the user asked for in `run`/`create`.

use crate::engine::container::{HealthConfig, MountSpec, PortBinding, Resources, RestartPolicy};
use std::collections::BTreeMap;

/// What the user asked for in `run`/`create`.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// Image reference or id.
    pub image: String,
    /// `--name`.
    pub name: Option<String>,
    /// Arguments after the image (replace the image's CMD).
    pub cmd: Vec<String>,
    /// `--entrypoint` (Some("") clears the image's).
    pub entrypoint: Option<String>,
    /// `-e` and `--env-file`, in order (`K=V`, or `K` to take the caller's value).
    pub env: Vec<String>,
    /// `-w`.
    pub working_dir: Option<String>,
    /// `-u`.
    pub user: Option<String>,
    /// `--hostname`.
    pub hostname: Option<String>,
    /// `-l`.
    pub labels: BTreeMap<String, String>,
    /// `-t`.
    pub tty: bool,
    /// `-i`.
    pub open_stdin: bool,
    /// `-v`, `--tmpfs`.
    pub mounts: Vec<MountSpec>,
    /// `--read-only`.
    pub read_only: bool,
    /// `--memory`, `--cpus`, `--pids-limit`.
    pub resources: Resources,
    /// `--restart`.
    pub restart: RestartPolicy,
    /// `--rm`.
    pub auto_remove: bool,
    /// `--network`; `None` means Docker's default network, `bridge`.
    pub network: Option<String>,
    /// `--network-alias`.
    pub network_aliases: Vec<String>,
    /// `--ip`.
    pub ip: Option<String>,
    /// `-p` (a host port of 0 means any free port).
    pub ports: Vec<PortBinding>,
    /// `-P`: publish every port the image exposes on a free host port.
    pub publish_all: bool,
    /// `--dns`.
    pub dns: Vec<String>,
    /// `--add-host` (`name:ip`).
    pub extra_hosts: Vec<String>,
    /// `--stop-timeout`.
    pub stop_timeout: Option<u32>,
    /// `--cap-add`, `--cap-drop`, `--privileged`, `--security-opt`.
    pub security: crate::engine::container::security::SecurityConfig,
    /// `--expose`: ports (`80`, `80/udp`, `8000-8010`) exposed besides the image's.
    pub expose: Vec<String>,
    /// `--link NAME[:ALIAS]`.
    pub links: Vec<String>,
    /// `--log-driver` (only `json-file`; `None`: the default).
    pub log_driver: Option<String>,
    /// `--log-opt KEY=VALUE`: the json-file driver's options, over the configuration's.
    pub log_opts: BTreeMap<String, String>,
    /// `--health-*` and `--no-healthcheck`: `None` keeps the image's HEALTHCHECK;
    /// `Some(HealthConfig::disabled())` turns it off; otherwise the given test and
    /// settings win over the image's (an empty test keeps the image's test).
    pub healthcheck: Option<HealthConfig>,
}

/// The network of a container created without one: Docker's `bridge`.
pub const DEFAULT_NETWORK: &str = "bridge";

impl CreateOptions {
    /// Whether `-p` or `-P` was given.
    pub fn publishes(&self) -> bool {
        !self.ports.is_empty() || self.publish_all
    }
}
