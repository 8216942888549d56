//! The project as berth runs it: every key in one shape, relative paths made absolute,
//! `env_file` read into `environment`, names of networks and volumes resolved. Serialized,
//! it is what `berth compose config` prints, and (per service) what the config hash hashes.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A loaded project.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    /// The project's name (`-p`, `COMPOSE_PROJECT_NAME`, `name:`, or the directory's).
    pub name: String,
    /// The services, by key.
    pub services: BTreeMap<String, Service>,
    /// The networks, by key (`default` included when a service uses it).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub networks: BTreeMap<String, NetworkDef>,
    /// The named volumes, by key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, VolumeDef>,
    /// The project directory (the first file's), against which relative paths resolve.
    #[serde(skip)]
    pub working_dir: PathBuf,
    /// The files the project was read from, in order.
    #[serde(skip)]
    pub config_files: Vec<PathBuf>,
}

/// A network of the project.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NetworkDef {
    /// The real name (`PROJECT_KEY` unless `name:` or `external`).
    pub name: String,
    /// Made elsewhere: never created nor removed by compose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// No route out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// User labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A named volume of the project.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VolumeDef {
    /// The real name (`PROJECT_KEY` unless `name:` or `external`).
    pub name: String,
    /// Made elsewhere: never created nor removed by compose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// User labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// How to build a service's image.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Build {
    /// The context directory (absolute).
    pub context: PathBuf,
    /// The Dockerfile (relative to the context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
    /// Build arguments (`None`: take it from the environment if set there).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, String>,
    /// The stage to build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Labels of the image.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A published port.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Port {
    /// The container port.
    pub target: u16,
    /// The host port (`None`: any free one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<u16>,
    /// The host address (`None`: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// What a service mounts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mount {
    /// `volume`, `bind` or `tmpfs`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The volume's key (a named volume), the absolute host path (bind), none (anonymous
    /// volume or tmpfs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The path in the container.
    pub target: String,
    /// Mounted read-only.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

/// One network of a service.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ServiceNetwork {
    /// Other names of the service on this network.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A fixed address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv4_address: Option<String>,
}

/// When a dependency counts as ready.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// It has been started.
    ServiceStarted,
    /// Its healthcheck says healthy.
    ServiceHealthy,
    /// It ran and exited with code 0.
    ServiceCompletedSuccessfully,
}

/// One dependency of a service.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Dependency {
    /// When it counts as ready.
    pub condition: Condition,
    /// Whether a missing dependency is an error.
    pub required: bool,
}

/// A healthcheck (durations as written, checked).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`; empty: the image's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    /// Time between checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// A check taking longer fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Failures in a row that make the container unhealthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Failures in this time after start do not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<String>,
    /// Time between checks during the start period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<String>,
    /// No healthcheck, not even the image's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable: bool,
}

/// A service.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Service {
    /// The image (for a built service: the tag it is built under).
    pub image: String,
    /// How to build it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// The command.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// The entrypoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    /// The environment (`env_file` values under `environment`'s).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    /// Published ports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Port>,
    /// Exposed ports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expose: Vec<String>,
    /// Mounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Mount>,
    /// Networks, by key (the first in key order is the one the container is created on).
    pub networks: BTreeMap<String, ServiceNetwork>,
    /// Dependencies.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub depends_on: BTreeMap<String, Dependency>,
    /// The healthcheck.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    /// The restart policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<String>,
    /// Labels of the container.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The host name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// A fixed container name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// A terminal.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tty: bool,
    /// Keep stdin open.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stdin_open: bool,
    /// Seconds `stop` waits before killing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_grace_period: Option<String>,
}

impl Project {
    /// The service `key`, or the error Compose gives for an unknown one.
    pub fn service(&self, key: &str) -> Result<&Service, super::ComposeError> {
        self.services
            .get(key)
            .ok_or_else(|| super::ComposeError::Project(format!("no such service: {key}")))
    }
}
