//! `create`: records a new container from an image and the user's options.

use crate::engine::container::record::files;
use crate::engine::container::{
    Container, ContainerConfig, ContainerState, Link, LogConfig, MountKind, MountSpec, NetConfig,
    PortBinding, Resources, RestartPolicy,
};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::network::exposed;
use crate::engine::store::FileLock;
use crate::engine::{Engine, ids};
use std::collections::{BTreeMap, HashMap};

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
}

/// The network of a container created without one: Docker's `bridge`.
pub const DEFAULT_NETWORK: &str = "bridge";

impl CreateOptions {
    /// Whether `-p` or `-P` was given.
    pub fn publishes(&self) -> bool {
        !self.ports.is_empty() || self.publish_all
    }
}

/// Lock file serialising name checks between concurrent creates and renames.
pub const NAMES_LOCK: &str = ".names.lock";

/// Merges `K=V` entries: later keys replace earlier ones, order of first appearance kept.
fn merge_env(base: &[String], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = base.to_vec();
    for e in extra {
        let entry = if e.contains('=') {
            e.clone()
        } else {
            match std::env::var(e) {
                Ok(v) => format!("{e}={v}"),
                Err(_) => continue,
            }
        };
        let key = entry.split('=').next().unwrap_or_default().to_string();
        match out
            .iter_mut()
            .find(|x| x.split('=').next() == Some(key.as_str()))
        {
            Some(slot) => *slot = entry,
            None => out.push(entry),
        }
    }
    out
}

/// Docker gives a container the standard PATH when its image sets none.
fn with_default_path(mut env: Vec<String>) -> Vec<String> {
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(0, DEFAULT_PATH.to_string());
    }
    env
}

/// The PATH a container gets when its image has none.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl Engine {
    /// The log settings of a new container: its `--log-opt`s over the configuration's
    /// (as Docker merges the daemon's `log-opts`), checked as Docker checks them.
    fn log_config(&self, opts: &CreateOptions) -> Result<LogConfig> {
        let mut log = LogConfig {
            options: opts.log_opts.clone(),
            ..LogConfig::default()
        };
        if let Some(d) = opts.log_driver.as_deref().filter(|d| !d.is_empty()) {
            log.driver = d.to_string();
        }
        let o = self.options();
        if let Some(size) = o.log_max_size {
            let mut default = |k: &str, v: String| {
                log.options.entry(k.to_string()).or_insert(v);
            };
            default("max-size", size.to_string());
            default("max-file", o.log_max_files.to_string());
            if o.log_compress {
                default("compress", "true".into());
            }
        }
        log.rotation().map_err(EngineError::Invalid)?;
        Ok(log)
    }

    /// Creates a container (status `created`); nothing runs yet.
    pub fn create_container(&self, opts: &CreateOptions) -> Result<Container> {
        let log_config = self.log_config(opts)?;
        if opts.auto_remove && !matches!(opts.restart.name.as_str(), "" | "no") {
            return Err(EngineError::Invalid(
                "conflicting options: --restart and --rm cannot be used together".into(),
            ));
        }
        let network = self
            .network(opts.network.as_deref().unwrap_or(DEFAULT_NETWORK))?
            .name;
        let image = self.image(&opts.image)?;
        let img = image.config.config().clone().unwrap_or_default();
        let mut exposed_ports: Vec<exposed::PortProto> = img
            .exposed_ports()
            .clone()
            .unwrap_or_default()
            .iter()
            .filter_map(|k| exposed::parse_key(k))
            .collect();
        for e in &opts.expose {
            exposed_ports.extend(exposed::parse_expose(e)?);
        }
        let mut ports = opts.ports.clone();
        if opts.publish_all {
            for (p, proto) in exposed::unique(exposed_ports.clone()) {
                if !ports
                    .iter()
                    .any(|b| b.container_port == p && b.protocol == proto)
                {
                    ports.push(PortBinding {
                        host_ip: String::new(),
                        host_port: 0,
                        container_port: p,
                        protocol: proto,
                    });
                }
            }
        }
        // As in Docker, a published port is an exposed one too.
        exposed_ports.extend(ports.iter().map(|b| (b.container_port, b.protocol.clone())));
        let exposed_ports = exposed::keys(exposed_ports);
        let links = self.resolve_links(&opts.links, &network)?;
        if network == "none" && opts.publishes() {
            // As in Docker: a container without a network cannot publish anything.
            return Err(EngineError::Invalid(
                "conflicting options: port publishing and the container type network mode.".into(),
            ));
        }
        if network == "host" {
            // As in Docker, the ports are the host's already: published ones are dropped
            // (front ends warn when `publishes()` and the container's mode is `host`).
            ports.clear();
        }
        let ports = crate::engine::network::ports::assign(ports)?;

        let (entrypoint, cmd) = match &opts.entrypoint {
            Some(ep) if ep.is_empty() => (Vec::new(), opts.cmd.clone()),
            Some(ep) => (vec![ep.clone()], opts.cmd.clone()),
            None => (
                img.entrypoint().clone().unwrap_or_default(),
                if opts.cmd.is_empty() {
                    img.cmd().clone().unwrap_or_default()
                } else {
                    opts.cmd.clone()
                },
            ),
        };
        if entrypoint.is_empty() && cmd.is_empty() {
            return Err(EngineError::Invalid(format!(
                "no command specified: image '{}' has no CMD or ENTRYPOINT; give a command after the image name",
                opts.image
            )));
        }

        let id = ids::random_id();
        let mut labels: BTreeMap<String, String> = img
            .labels()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        labels.extend(opts.labels.clone());

        let mut mounts = opts.mounts.clone();
        for m in &mounts {
            if let Some(why) = mount_over_kernel_fs(&m.destination, false) {
                return Err(EngineError::Invalid(format!(
                    "invalid mount destination '{}': {why}",
                    m.destination
                )));
            }
        }
        // The image's VOLUMEs get anonymous volumes unless the user mounted something there.
        if let Some(vols) = img.volumes() {
            for dest in vols {
                if let Some(why) = mount_over_kernel_fs(dest, true) {
                    return Err(EngineError::Invalid(format!(
                        "image '{}' declares VOLUME {dest}: {why}",
                        opts.image
                    )));
                }
                if !mounts.iter().any(|m| &m.destination == dest) {
                    mounts.push(MountSpec {
                        kind: MountKind::Volume,
                        source: String::new(),
                        destination: dest.clone(),
                        read_only: false,
                        options: String::new(),
                    });
                }
            }
        }

        let names_lock = self.paths().containers().join(NAMES_LOCK);
        let _lock = FileLock::exclusive(&names_lock).at(&names_lock)?;
        // Every record is read once, for both a random name and a name in use.
        let taken: HashMap<String, String> = self
            .containers()?
            .into_iter()
            .map(|c| {
                let short = c.config.short_id().to_string();
                (c.config.name, short)
            })
            .collect();
        let name = match &opts.name {
            Some(n) => {
                let n = n.strip_prefix('/').unwrap_or(n);
                if !ids::valid_name(n) {
                    return Err(EngineError::Invalid(format!(
                        "invalid container name '{n}': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                    )));
                }
                if let Some(other) = taken.get(n) {
                    return Err(EngineError::NameInUse {
                        name: n.to_string(),
                        id: other.clone(),
                    });
                }
                n.to_string()
            }
            None => loop {
                let n = ids::random_name();
                if !taken.contains_key(&n) {
                    break n;
                }
            },
        };

        // Volumes are made (or found) before anything of the container exists on disk.
        for m in mounts.iter_mut().filter(|m| m.kind == MountKind::Volume) {
            let data = self.volume_for_mount(&m.source)?;
            if m.source.is_empty() {
                // An anonymous volume: its name is the directory holding `_data`.
                m.source = data
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
            }
        }

        let attached = self.attach_record(
            &network,
            &id,
            &name,
            &opts.network_aliases,
            opts.ip.as_deref(),
        )?;
        let config = ContainerConfig {
            id: id.clone(),
            name,
            created: chrono::Utc::now(),
            image: opts.image.clone(),
            image_id: image.id.clone(),
            layers: image.layers.clone(),
            entrypoint,
            cmd,
            env: with_default_path(merge_env(&img.env().clone().unwrap_or_default(), &opts.env)),
            working_dir: opts
                .working_dir
                .clone()
                .or_else(|| img.working_dir().clone())
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| "/".into()),
            user: opts
                .user
                .clone()
                .or_else(|| img.user().clone())
                .unwrap_or_default(),
            hostname: opts
                .hostname
                .clone()
                .unwrap_or_else(|| ids::short_id(&id).to_string()),
            labels,
            tty: opts.tty,
            open_stdin: opts.open_stdin,
            mounts,
            read_only: opts.read_only,
            resources: opts.resources.clone(),
            restart: if opts.restart.name.is_empty() {
                RestartPolicy {
                    name: "no".into(),
                    max_retry: 0,
                }
            } else {
                opts.restart.clone()
            },
            auto_remove: opts.auto_remove,
            security: opts.security.clone(),
            network_mode: network,
            net: NetConfig {
                ports,
                dns: opts.dns.clone(),
                extra_hosts: opts.extra_hosts.clone(),
                exposed_ports,
                links,
            },
            stop_signal: img
                .stop_signal()
                .clone()
                .unwrap_or_else(|| "SIGTERM".into()),
            stop_timeout: opts.stop_timeout,
            log_config,
        };

        if let Err(e) = self.write_new_container(&config) {
            if attached.is_some() {
                crate::engine::network::ops::release_container(self.paths(), &id);
            }
            return Err(e);
        }
        self.emit(
            "container",
            "create",
            &id,
            &[("name", &config.name), ("image", &config.image)],
        );
        Ok(Container {
            config,
            state: ContainerState::default(),
        })
    }
}

impl Engine {
    /// The targets of `--link NAME[:ALIAS]` values. As in Docker, a missing target is an
    /// error except on a user network (there the alias resolves once a container has the
    /// name), and links mean nothing on the host's network (Docker refuses them there).
    fn resolve_links(&self, links: &[String], network: &str) -> Result<Vec<Link>> {
        if !links.is_empty() && network == "host" {
            return Err(EngineError::Invalid(
                "conflicting options: host type networking can't be used with links. This would result in undefined behavior".into(),
            ));
        }
        let user_network = crate::engine::network::is_user_network(network);
        let mut out = Vec::new();
        for l in links {
            let (name, alias) = l.split_once(':').unwrap_or((l, ""));
            let name = name.strip_prefix('/').unwrap_or(name);
            let alias = if alias.is_empty() { name } else { alias };
            if !ids::valid_name(name) || !ids::valid_name(alias) {
                return Err(EngineError::Invalid(format!(
                    "invalid value '{l}' for --link: use NAME[:ALIAS]"
                )));
            }
            let target = match self.container(name) {
                Ok(c) => c.config.id,
                Err(EngineError::NoSuchContainer(_)) if user_network => String::new(),
                Err(EngineError::NoSuchContainer(_)) => {
                    return Err(EngineError::Invalid(format!(
                        "could not get container for {name}: no such container: '{name}'"
                    )));
                }
                Err(e) => return Err(e),
            };
            out.push(Link {
                target,
                name: name.to_string(),
                alias: alias.to_string(),
            });
        }
        Ok(out)
    }

    /// Writes the record of a new container (its config; a missing or default state means
    /// `created`) in a scratch directory, then renames it into place: a crash leaves either
    /// a whole container or none. The directory is a removed container's spare when there
    /// is one (see `container::spares`: no inode to allocate).
    pub(crate) fn write_new_container(&self, config: &ContainerConfig) -> Result<()> {
        let id = &config.id;
        let scratch = self.paths().tmp().join(format!("create-{id}"));
        let built = (|| -> Result<()> {
            if !crate::engine::container::spares::take(self.paths(), &scratch, id) {
                for d in ["rw/upper", "rw/work"] {
                    std::fs::create_dir_all(scratch.join(d)).at(scratch.join(d))?;
                }
            }
            // The scratch directory is renamed into place whole, so its files need no
            // atomic writes of their own. No state.json is made: a container without one
            // is `created` (the default state), and a spare's says `created` already.
            let config_path = scratch.join(files::CONFIG);
            let data = serde_json::to_vec_pretty(config).map_err(|e| {
                EngineError::Other(format!("cannot encode the container record: {e}"))
            })?;
            crate::engine::store::overwrite(&config_path, &data).at(&config_path)?;
            let dest = self.paths().container(id);
            std::fs::rename(&scratch, &dest).at(&dest)
        })();
        if built.is_err() {
            let _ = std::fs::remove_dir_all(&scratch);
        }
        built
    }
}

#[cfg(test)]
mod tests {
    use super::merge_env;

    #[test]
    fn user_env_overrides_image_env() {
        let base = vec!["PATH=/bin".to_string(), "A=1".to_string()];
        let merged = merge_env(&base, &["A=2".into(), "B=3".into()]);
        assert_eq!(merged, vec!["PATH=/bin", "A=2", "B=3"]);
    }
}

/// Why a mount on `destination` is refused, if it is: over `/` (it would hide the whole
/// root) or over procfs, and for an image's VOLUME also over /sys and /dev (each would
/// replace what the kernel shows the container with an empty directory: the CVE-2019-16884
/// class). Paths are cleaned first, so `/x/../proc` is `/proc`.
pub fn mount_over_kernel_fs(destination: &str, image_volume: bool) -> Option<&'static str> {
    let mut parts: Vec<&str> = Vec::new();
    for c in destination.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    match parts.as_slice() {
        [] => Some("a mount over the container's root is not allowed"),
        ["proc", ..] => Some("a mount over the container's /proc is not allowed"),
        ["sys", ..] | ["dev"] | ["dev", "pts", ..] if image_volume => {
            Some("a volume over the kernel's /sys or /dev is not allowed")
        }
        _ => None,
    }
}

#[cfg(test)]
mod kernel_fs_tests {
    use super::mount_over_kernel_fs;

    #[test]
    fn mounts_over_kernel_filesystems_are_refused() {
        for d in ["/", "/proc", "/proc/self/attr", "/x/../proc", "//proc/"] {
            assert!(mount_over_kernel_fs(d, false).is_some(), "{d}");
        }
        for d in ["/sys", "/dev", "/dev/pts"] {
            assert!(mount_over_kernel_fs(d, true).is_some(), "{d}");
            assert!(mount_over_kernel_fs(d, false).is_none(), "{d}");
        }
        for d in ["/data", "/dev/shm", "/etc", "/procfs"] {
            assert!(mount_over_kernel_fs(d, true).is_none(), "{d}");
        }
    }
}
