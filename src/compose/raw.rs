//! A compose file as written: serde types that accept every shape the Compose
//! Specification allows for a key (a string or a list, a list or a map, short or long
//! syntax). `normalize` turns them into the one-shape [`super::model`].

use serde::Deserialize;
use serde_yaml_ng::Value;
use std::collections::BTreeMap;

/// A whole file (keys it does not know are reported by `known` and ignored here).
#[derive(Debug, Default, Deserialize)]
pub struct File {
    /// `name:` the project's name.
    pub name: Option<String>,
    /// `services:`.
    #[serde(default)]
    pub services: BTreeMap<String, Option<Service>>,
    /// `networks:`.
    #[serde(default)]
    pub networks: BTreeMap<String, Option<Resource>>,
    /// `volumes:`.
    #[serde(default)]
    pub volumes: BTreeMap<String, Option<Resource>>,
}

/// A top-level network or volume.
#[derive(Debug, Default, Deserialize)]
pub struct Resource {
    /// `external: true`: made elsewhere, used as is.
    #[serde(default)]
    pub external: Option<bool>,
    /// The real name (instead of `PROJECT_KEY`).
    pub name: Option<String>,
    /// `driver:` (only `bridge` for networks and `local` for volumes).
    pub driver: Option<String>,
    /// `labels:`.
    pub labels: Option<KeyValues>,
    /// `internal:` (networks).
    pub internal: Option<bool>,
}

/// A string or a list of strings (`command`, `entrypoint`, `healthcheck.test`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Words {
    /// One string (split like a shell for `command`; run by `sh -c` for healthchecks).
    One(String),
    /// A list.
    Many(Vec<String>),
}

/// One string or a list of them (`env_file`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl OneOrMany {
    /// As a list.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// `environment`, `labels`, `build.args`: a map (values may be numbers, booleans or null)
/// or a list of `KEY=VALUE` / `KEY`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyValues {
    /// `KEY: value`.
    Map(BTreeMap<String, Option<Scalar>>),
    /// `- KEY=value`.
    List(Vec<String>),
}

/// A scalar that Compose takes as text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

impl Scalar {
    /// The scalar as Compose writes it.
    pub fn text(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

impl KeyValues {
    /// The pairs in order; `None` for a key given without a value.
    pub fn pairs(self) -> Vec<(String, Option<String>)> {
        match self {
            KeyValues::Map(m) => m
                .into_iter()
                .map(|(k, v)| (k, v.map(|s| s.text())))
                .collect(),
            KeyValues::List(l) => l
                .into_iter()
                .map(|item| match item.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (item, None),
                })
                .collect(),
        }
    }
}

/// `build:` a context directory, or the long form.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Build {
    /// `build: ./dir`.
    Context(String),
    /// `build: {context, dockerfile, args, target}`.
    Long(BuildLong),
}

/// `build:` in its long form.
#[derive(Debug, Clone, Deserialize)]
pub struct BuildLong {
    /// The context directory (default `.`).
    pub context: Option<String>,
    /// The Dockerfile, relative to the context.
    pub dockerfile: Option<String>,
    /// Build arguments.
    pub args: Option<KeyValues>,
    /// The stage to build.
    pub target: Option<String>,
    /// Labels of the image.
    pub labels: Option<KeyValues>,
}

/// One `ports:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Port {
    /// `- 80` (a container port).
    Number(u16),
    /// `- "8080:80/udp"`, `- "127.0.0.1:8080:80"`.
    Short(String),
    /// `- {target: 80, published: 8080, host_ip, protocol}`.
    Long(PortLong),
}

/// The long syntax of a port.
#[derive(Debug, Clone, Deserialize)]
pub struct PortLong {
    /// The container port.
    pub target: u16,
    /// The host port (a number or a string).
    pub published: Option<Scalar>,
    /// The host address.
    pub host_ip: Option<String>,
    /// `tcp` or `udp`.
    pub protocol: Option<String>,
    /// `ingress` or `host` (both publish on this host).
    pub mode: Option<String>,
}

/// One `volumes:` entry of a service.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Mount {
    /// `- data:/var/lib/x:ro`, `- ./src:/src`, `- /cache`.
    Short(String),
    /// `- {type, source, target, read_only}`.
    Long(MountLong),
}

/// The long syntax of a service volume.
#[derive(Debug, Clone, Deserialize)]
pub struct MountLong {
    /// `volume`, `bind` or `tmpfs`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The volume's key or the host path.
    pub source: Option<String>,
    /// The path in the container.
    pub target: String,
    /// Mounted read-only.
    #[serde(default)]
    pub read_only: bool,
}

/// A service's `networks:` a list of keys, or a map with aliases.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ServiceNetworks {
    /// `- front`.
    List(Vec<String>),
    /// `front: {aliases: [...]}`.
    Map(BTreeMap<String, Option<ServiceNetwork>>),
}

/// One network of a service.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceNetwork {
    /// Other names of the service on this network.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A fixed address.
    pub ipv4_address: Option<String>,
}

/// `depends_on:` a list of services, or a map with conditions.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DependsOn {
    /// `- db`.
    List(Vec<String>),
    /// `db: {condition: service_healthy}`.
    Map(BTreeMap<String, Dependency>),
}

/// One dependency in the long syntax.
#[derive(Debug, Clone, Deserialize)]
pub struct Dependency {
    /// `service_started` (default), `service_healthy`, `service_completed_successfully`.
    pub condition: Option<String>,
    /// Whether the dependency must exist (default true).
    pub required: Option<bool>,
    /// Restart this service when the dependency is updated (accepted, not acted on).
    pub restart: Option<bool>,
}

/// `healthcheck:`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]` or a string (run by a shell).
    pub test: Option<Words>,
    /// Time between checks.
    pub interval: Option<String>,
    /// A check taking longer fails.
    pub timeout: Option<String>,
    /// Failures in a row that make the container unhealthy.
    pub retries: Option<u32>,
    /// Failures in this time after start do not count.
    pub start_period: Option<String>,
    /// Time between checks during the start period.
    pub start_interval: Option<String>,
    /// Turns off the image's healthcheck.
    #[serde(default)]
    pub disable: bool,
}

/// One service.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Service {
    /// The image (built under this name when `build` is given).
    pub image: Option<String>,
    /// How to build the image.
    pub build: Option<Build>,
    /// The command.
    pub command: Option<Words>,
    /// The entrypoint.
    pub entrypoint: Option<Words>,
    /// Environment variables.
    pub environment: Option<KeyValues>,
    /// Files of environment variables.
    pub env_file: Option<OneOrMany>,
    /// Published ports.
    #[serde(default)]
    pub ports: Vec<Port>,
    /// Exposed ports.
    #[serde(default)]
    pub expose: Vec<Scalar>,
    /// Mounts.
    #[serde(default)]
    pub volumes: Vec<Mount>,
    /// Networks.
    pub networks: Option<ServiceNetworks>,
    /// Dependencies.
    pub depends_on: Option<DependsOn>,
    /// The healthcheck.
    pub healthcheck: Option<Healthcheck>,
    /// `no`, `always`, `on-failure[:N]`, `unless-stopped`.
    pub restart: Option<String>,
    /// Labels of the container.
    pub labels: Option<KeyValues>,
    /// The working directory.
    pub working_dir: Option<String>,
    /// The user.
    pub user: Option<String>,
    /// The host name.
    pub hostname: Option<String>,
    /// A fixed container name.
    pub container_name: Option<String>,
    /// A terminal.
    #[serde(default)]
    pub tty: bool,
    /// Keep stdin open.
    #[serde(default)]
    pub stdin_open: bool,
    /// `stop_grace_period` (a duration).
    pub stop_grace_period: Option<String>,
}

/// A file's tree after interpolation, before typing (kept for merging and for locating).
pub type Tree = Value;
