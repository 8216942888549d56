//! What a container was asked to be: stored once at create time as `config.json`.

use super::error::ContainerError;
use crate::engine::{ContainerId, ImageId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A mount requested with `-v`, `--mount` or `--tmpfs`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MountSpec {
    /// `bind`, `volume` or `tmpfs`.
    pub kind: MountKind,
    /// Host path (bind) or volume name (volume); empty for tmpfs.
    pub source: String,
    /// Absolute path inside the container.
    pub destination: String,
    /// Mounted read-only.
    pub read_only: bool,
    /// Extra options (tmpfs: `size=64m,mode=1777`).
    #[serde(default)]
    pub options: String,
}

/// The kinds of mount.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    /// A host directory or file.
    Bind,
    /// A named volume under the state root.
    Volume,
    /// A fresh tmpfs.
    Tmpfs,
}

/// Resource limits applied through cgroups.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Resources {
    /// Memory limit in bytes (`--memory`).
    pub memory: Option<i64>,
    /// CPU quota in billionths of a CPU (`--cpus 1.5` = 1_500_000_000).
    pub nano_cpus: Option<i64>,
    /// Maximum number of processes (`--pids-limit`).
    pub pids_limit: Option<i64>,
}

/// When the shim restarts an exited container.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RestartPolicy {
    /// `no`, `always`, `on-failure` or `unless-stopped`.
    pub name: String,
    /// For `on-failure`: how many restarts at most (0 = unlimited).
    pub max_retry: u32,
}

impl RestartPolicy {
    /// Parses Docker's `--restart` value.
    pub fn parse(s: &str) -> Result<RestartPolicy, ContainerError> {
        let bad = |why: &str| ContainerError::RestartPolicy {
            value: s.to_string(),
            why: why.to_string(),
        };
        let (name, count) = match s.split_once(':') {
            Some((n, c)) => (n, Some(c)),
            None => (s, None),
        };
        let policy = |name: &str, max_retry| RestartPolicy {
            name: name.into(),
            max_retry,
        };
        match (name, count) {
            ("" | "no", None) => Ok(policy("no", 0)),
            ("always" | "unless-stopped" | "on-failure", None) => Ok(policy(name, 0)),
            ("on-failure", Some(c)) => c
                .parse::<u32>()
                .map(|n| policy(name, n))
                .map_err(|_| bad("the count after 'on-failure:' must be a whole number")),
            ("always" | "unless-stopped" | "no", Some(_)) => {
                Err(bad("only 'on-failure' takes a maximum retry count"))
            }
            _ => Err(bad("use no, always, on-failure[:N] or unless-stopped")),
        }
    }

    /// Whether the shim should start the container again after it exited with `code`.
    /// `restarts` is how many times it was restarted already; `stopped_by_user` is set
    /// when `stop`/`kill` asked for the exit.
    pub fn should_restart(&self, code: i32, restarts: u32, stopped_by_user: bool) -> bool {
        if stopped_by_user {
            return false;
        }
        match self.name.as_str() {
            "always" | "unless-stopped" => true,
            "on-failure" => code != 0 && (self.max_retry == 0 || restarts < self.max_retry),
            _ => false,
        }
    }
}

/// A published port (`-p [ip:]host:container[/proto]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PortBinding {
    /// Host address to listen on; empty for all.
    pub host_ip: String,
    /// Host port.
    pub host_port: u16,
    /// Port inside the container.
    pub container_port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// Networking options recorded at create time (addresses and aliases live in the
/// network records: see `engine::network`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct NetConfig {
    /// Published ports.
    #[serde(default)]
    pub ports: Vec<PortBinding>,
    /// `--dns` servers.
    #[serde(default)]
    pub dns: Vec<String>,
    /// `--add-host` entries (`name:ip`).
    #[serde(default)]
    pub extra_hosts: Vec<String>,
    /// Exposed ports (`80/tcp`): the image's EXPOSE and `--expose`, sorted, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<String>,
    /// `--link`: other containers this one reaches under an alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A `--link NAME[:ALIAS]`. On the default bridge (Docker's legacy links) the target is
/// found at create time and kept by id, so a rename keeps the link; on a user network the
/// alias stands for whichever container has the name when a query comes, as in Docker.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Link {
    /// The linked container's id (empty on a user network when no container had the name).
    pub target: String,
    /// The target's name as given.
    #[serde(default)]
    pub name: String,
    /// The name the linking container knows it by (the target's name when not given).
    pub alias: String,
}

impl Link {
    /// The link as the user wrote it: `NAME:ALIAS`, or `NAME` when the alias is the name.
    pub fn spec(&self) -> String {
        if self.alias == self.name {
            self.name.clone()
        } else {
            format!("{}:{}", self.name, self.alias)
        }
    }
}

/// Everything `create` recorded about a container.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContainerConfig {
    /// 64-hex id.
    pub id: ContainerId,
    /// Name without the leading slash.
    pub name: String,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// The image as the user named it.
    pub image: String,
    /// The image id (`sha256:<config digest>`).
    pub image_id: ImageId,
    /// Chain ids of the image's layers, bottom first (overlay lower dirs).
    pub layers: Vec<String>,
    /// Entrypoint after applying `--entrypoint` over the image's.
    pub entrypoint: Vec<String>,
    /// Command after applying the arguments over the image's.
    pub cmd: Vec<String>,
    /// Environment, image's first then the user's (`K=V`).
    pub env: Vec<String>,
    /// Working directory inside the container.
    pub working_dir: String,
    /// `user[:group]`, empty for root.
    pub user: String,
    /// Hostname (defaults to the short id).
    pub hostname: String,
    /// Labels (image's and `-l`).
    pub labels: BTreeMap<String, String>,
    /// Allocate a terminal.
    pub tty: bool,
    /// Keep stdin open.
    pub open_stdin: bool,
    /// Bind mounts, volumes and tmpfs mounts.
    pub mounts: Vec<MountSpec>,
    /// Root filesystem read-only.
    pub read_only: bool,
    /// cgroup limits.
    pub resources: Resources,
    /// Restart policy.
    pub restart: RestartPolicy,
    /// `--rm`.
    pub auto_remove: bool,
    /// Capabilities, privilege and seccomp (`--cap-add`, `--privileged`, `--security-opt`).
    #[serde(default)]
    pub security: super::security::SecurityConfig,
    /// The network the container was created on: `bridge`, `host`, `none` or a user
    /// network's name.
    pub network_mode: String,
    /// Published ports, `--dns`, `--add-host`.
    #[serde(default)]
    pub net: NetConfig,
    /// Signal `stop` sends first (image's STOPSIGNAL), e.g. `SIGTERM`.
    pub stop_signal: String,
    /// Seconds `stop` waits before SIGKILL when `-t` is not given.
    pub stop_timeout: Option<u32>,
    /// The log driver and its options (`--log-opt`, over the configuration's `logs`).
    #[serde(default)]
    pub log_config: super::LogConfig,
    /// The healthcheck: the image's HEALTHCHECK under the `--health-*` flags (Docker's
    /// `Config.Healthcheck`); `None` when neither gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<super::HealthConfig>,
    /// The image's SHELL (Docker's `Config.Shell`): what runs a `CMD-SHELL` healthcheck;
    /// empty for `/bin/sh -c`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

impl ContainerConfig {
    /// Whether the container is on networks of berth's own (a bridge): not `none` or
    /// `host` (or the empty mode of old records, which means `none`). Only those have
    /// endpoints, DNS and published ports, and only those can join other networks.
    pub fn on_berth_network(&self) -> bool {
        !matches!(self.network_mode.as_str(), "none" | "host" | "")
    }
    /// The full argv: entrypoint followed by cmd.
    pub fn argv(&self) -> Vec<String> {
        self.entrypoint
            .iter()
            .chain(self.cmd.iter())
            .cloned()
            .collect()
    }
    /// The argv of the healthcheck's probe (a `CMD-SHELL` test run by the image's SHELL),
    /// or `None` when no probe is to run.
    pub fn probe_argv(&self) -> Option<Vec<String>> {
        let check = self.active_healthcheck()?;
        match check.test.split_first() {
            Some((kind, [line])) if kind == "CMD-SHELL" && !self.shell.is_empty() => {
                Some(self.shell.iter().chain([line]).cloned().collect())
            }
            _ => check.probe_argv(),
        }
    }
    /// The healthcheck the shim runs, if one is set and not disabled.
    pub fn active_healthcheck(&self) -> Option<&super::HealthConfig> {
        self.healthcheck.as_ref().filter(|h| h.is_enabled())
    }
    /// The short id.
    pub fn short_id(&self) -> &str {
        self.id.short()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_policy_parsing() {
        assert_eq!(RestartPolicy::parse("no").map(|p| p.name), Ok("no".into()));
        assert_eq!(
            RestartPolicy::parse("on-failure:3").map(|p| p.max_retry),
            Ok(3)
        );
        assert!(RestartPolicy::parse("sometimes").is_err());
        assert!(RestartPolicy::parse("always:2").is_err());
        assert!(RestartPolicy::parse("on-failure:x").is_err());
    }

    #[test]
    fn restart_decisions() {
        let on_failure = RestartPolicy::parse("on-failure:2").expect("parse");
        assert!(on_failure.should_restart(1, 0, false));
        assert!(on_failure.should_restart(1, 1, false));
        assert!(!on_failure.should_restart(1, 2, false));
        assert!(!on_failure.should_restart(0, 0, false));
        let always = RestartPolicy::parse("always").expect("parse");
        assert!(always.should_restart(0, 100, false));
        assert!(!always.should_restart(0, 0, true));
        assert!(
            !RestartPolicy::parse("no")
                .expect("parse")
                .should_restart(1, 0, false)
        );
    }
}
