//! What a project becomes in the engine: the names Compose v2 gives (containers
//! `PROJECT-SERVICE-1`, networks and volumes `PROJECT_KEY`), its `com.docker.compose.*`
//! labels, the order services start in, the hash that tells whether a container is
//! up to date, and the engine's create options for a service.

use super::error::{ComposeError, Result};
use super::model::Healthcheck;
use super::model::{Project, Service};
use super::values::parse_duration;
use crate::engine::{
    CreateOptions, HealthConfig, MountKind, MountSpec, PortBinding, RestartPolicy,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The label holding the project's name.
pub const PROJECT: &str = "com.docker.compose.project";
/// The label holding the service's key.
pub const SERVICE: &str = "com.docker.compose.service";
/// The label holding the container's number within its service.
pub const NUMBER: &str = "com.docker.compose.container-number";
/// `True` for `compose run` containers, `False` otherwise.
pub const ONEOFF: &str = "com.docker.compose.oneoff";
/// The project directory.
pub const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
/// The compose files, comma separated.
pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";
/// The hash of the service's configuration the container was made from.
pub const CONFIG_HASH: &str = "com.docker.compose.config-hash";
/// The version of the tool that made it.
pub const VERSION: &str = "com.docker.compose.version";
/// A network's key in the project.
pub const NETWORK: &str = "com.docker.compose.network";
/// A volume's key in the project.
pub const VOLUME: &str = "com.docker.compose.volume";
/// The service's dependencies (`db:service_healthy:false,...`).
pub const DEPENDS_ON: &str = "com.docker.compose.depends_on";

/// The version written in the labels.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The container name of service `key`'s container number `n`.
pub fn container_name(project: &Project, key: &str, n: u32) -> String {
    match project
        .services
        .get(key)
        .and_then(|s| s.container_name.clone())
    {
        Some(name) => name,
        None => format!("{}-{key}-{n}", project.name),
    }
}

/// The services to act on: `selected` (all when empty) and, when `with_deps`, everything
/// they depend on; ordered so that every service comes after its dependencies.
pub fn order(project: &Project, selected: &[String], with_deps: bool) -> Result<Vec<String>> {
    for s in selected {
        project.service(s)?;
    }
    let roots: Vec<String> = if selected.is_empty() {
        project.services.keys().cloned().collect()
    } else {
        selected.to_vec()
    };
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for r in &roots {
        visit(project, r, &mut Vec::new(), &mut done, &mut out)?;
    }
    if !with_deps {
        out.retain(|s| roots.contains(s));
    }
    Ok(out)
}

fn visit(
    project: &Project,
    key: &str,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) -> Result<()> {
    if done.contains(key) {
        return Ok(());
    }
    if stack.iter().any(|s| s == key) {
        stack.push(key.to_string());
        return Err(ComposeError::Project(format!(
            "dependency cycle detected: {}",
            stack.join(" -> ")
        )));
    }
    stack.push(key.to_string());
    if let Some(svc) = project.services.get(key) {
        for dep in svc.depends_on.keys() {
            if project.services.contains_key(dep) {
                visit(project, dep, stack, done, out)?;
            }
        }
    }
    stack.pop();
    done.insert(key.to_string());
    out.push(key.to_string());
    Ok(())
}

/// The hash of a service's configuration: a container made from another one is replaced.
pub fn config_hash(svc: &Service) -> String {
    let bytes = serde_json::to_vec(svc).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// The labels of service `key`'s container.
pub fn labels(
    project: &Project,
    key: &str,
    svc: &Service,
    n: u32,
    oneoff: bool,
) -> BTreeMap<String, String> {
    let mut l = svc.labels.clone();
    let files: Vec<String> = project
        .config_files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let deps: Vec<String> = svc
        .depends_on
        .iter()
        .map(|(d, dep)| {
            let cond = serde_json::to_value(dep.condition)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            format!("{d}:{cond}:false")
        })
        .collect();
    for (k, v) in [
        (PROJECT, project.name.clone()),
        (SERVICE, key.to_string()),
        (NUMBER, n.to_string()),
        (ONEOFF, if oneoff { "True" } else { "False" }.to_string()),
        (WORKING_DIR, project.working_dir.display().to_string()),
        (CONFIG_FILES, files.join(",")),
        (CONFIG_HASH, config_hash(svc)),
        (VERSION, TOOL_VERSION.to_string()),
        (DEPENDS_ON, deps.join(",")),
    ] {
        l.insert(k.to_string(), v);
    }
    l
}

/// A network a container joins after it is created (all but its first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The network's real name.
    pub network: String,
    /// The container's aliases there (the service key first).
    pub aliases: Vec<String>,
    /// A fixed address.
    pub ip: Option<String>,
}

/// Every network of service `key` with its aliases, in order (the first is the one the
/// container is created on).
pub fn attachments(project: &Project, key: &str, svc: &Service) -> Vec<Attachment> {
    svc.networks
        .iter()
        .map(|(net, sn)| {
            let mut aliases = vec![key.to_string()];
            aliases.extend(sn.aliases.iter().filter(|a| *a != key).cloned());
            Attachment {
                network: project
                    .networks
                    .get(net)
                    .map(|n| n.name.clone())
                    .unwrap_or_else(|| net.clone()),
                aliases,
                ip: sn.ipv4_address.clone(),
            }
        })
        .collect()
}

/// The engine's create options for service `key` (its container number `n`).
pub fn create_options(
    project: &Project,
    key: &str,
    svc: &Service,
    n: u32,
    oneoff: bool,
) -> Result<CreateOptions> {
    let mut cmd = svc.command.clone().unwrap_or_default();
    // Compose's entrypoint is a list; the engine takes one program and the rest as Cmd.
    let entrypoint = svc.entrypoint.clone().map(|mut ep| {
        if ep.is_empty() {
            return String::new();
        }
        let first = ep.remove(0);
        ep.append(&mut cmd);
        cmd = ep;
        first
    });
    let mut mounts = Vec::new();
    for m in &svc.volumes {
        let (kind, source) = match (m.kind.as_str(), &m.source) {
            ("bind", Some(s)) => (MountKind::Bind, s.clone()),
            ("tmpfs", _) => (MountKind::Tmpfs, String::new()),
            (_, Some(s)) => (
                MountKind::Volume,
                project
                    .volumes
                    .get(s)
                    .map(|v| v.name.clone())
                    .unwrap_or_else(|| s.clone()),
            ),
            (_, None) => (MountKind::Volume, String::new()),
        };
        mounts.push(MountSpec {
            kind,
            source,
            destination: m.target.clone(),
            read_only: m.read_only,
            options: String::new(),
        });
    }
    let restart = match &svc.restart {
        Some(r) => RestartPolicy::parse(r)
            .map_err(|e| ComposeError::Project(format!("service \"{key}\": restart: {e}")))?,
        None => RestartPolicy::default(),
    };
    let first = attachments(project, key, svc).into_iter().next();
    let stop_timeout = svc
        .stop_grace_period
        .as_deref()
        .and_then(super::values::parse_duration)
        .map(|d| d.as_secs() as u32);
    Ok(CreateOptions {
        image: svc.image.clone(),
        name: Some(if oneoff {
            format!("{}-{key}-run-{}", project.name, random_suffix())
        } else {
            container_name(project, key, n)
        }),
        cmd,
        entrypoint,
        env: svc
            .environment
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect(),
        working_dir: svc.working_dir.clone(),
        user: svc.user.clone(),
        hostname: svc.hostname.clone(),
        labels: labels(project, key, svc, n, oneoff),
        tty: svc.tty,
        open_stdin: svc.stdin_open,
        mounts,
        restart,
        network: first.as_ref().map(|a| a.network.clone()),
        network_aliases: first
            .as_ref()
            .map(|a| a.aliases.clone())
            .unwrap_or_default(),
        ip: first.and_then(|a| a.ip),
        ports: svc
            .ports
            .iter()
            .map(|p| PortBinding {
                host_ip: p.host_ip.clone().unwrap_or_default(),
                host_port: p.published.unwrap_or(0),
                container_port: p.target,
                protocol: p.protocol.clone(),
            })
            .collect(),
        expose: svc.expose.clone(),
        stop_timeout,
        healthcheck: svc.healthcheck.as_ref().map(health_config),
        ..CreateOptions::default()
    })
}

/// The engine's healthcheck for a service's `healthcheck:` (an empty test keeps the
/// image's command with these settings; `disable` turns the image's off).
pub fn health_config(h: &Healthcheck) -> HealthConfig {
    if h.disable || h.test.first().map(String::as_str) == Some("NONE") {
        return HealthConfig::disabled();
    }
    let d = |v: &Option<String>| v.as_deref().and_then(parse_duration);
    HealthConfig {
        test: h.test.clone(),
        interval: d(&h.interval),
        timeout: d(&h.timeout),
        start_period: d(&h.start_period),
        start_interval: d(&h.start_interval),
        retries: h.retries,
    }
}

/// Twelve hex digits, for `compose run` container names.
fn random_suffix() -> String {
    let mut b = [0u8; 6];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::{Condition, Dependency};

    fn project(deps: &[(&str, &[&str])]) -> Project {
        let mut services = BTreeMap::new();
        for (k, ds) in deps {
            let mut s = Service {
                image: "busybox".into(),
                ..Service::default()
            };
            for d in *ds {
                s.depends_on.insert(
                    d.to_string(),
                    Dependency {
                        condition: Condition::ServiceStarted,
                        required: true,
                    },
                );
            }
            services.insert(k.to_string(), s);
        }
        Project {
            name: "p".into(),
            services,
            networks: BTreeMap::new(),
            volumes: BTreeMap::new(),
            working_dir: "/srv".into(),
            config_files: vec!["/srv/compose.yaml".into()],
        }
    }

    #[test]
    fn dependencies_come_first_and_cycles_are_errors() {
        let p = project(&[("web", &["db", "cache"]), ("db", &[]), ("cache", &["db"])]);
        assert_eq!(
            order(&p, &[], true).expect("order"),
            vec!["db", "cache", "web"]
        );
        assert_eq!(
            order(&p, &["cache".into()], true).expect("order"),
            vec!["db", "cache"]
        );
        assert_eq!(
            order(&p, &["cache".into()], false).expect("order"),
            vec!["cache"]
        );
        let c = project(&[("a", &["b"]), ("b", &["a"])]);
        let e = order(&c, &[], true).expect_err("cycle");
        assert_eq!(e.to_string(), "dependency cycle detected: a -> b -> a");
    }

    #[test]
    fn names_labels_and_hash() {
        let p = project(&[("web", &[])]);
        assert_eq!(container_name(&p, "web", 1), "p-web-1");
        let svc = &p.services["web"];
        let l = labels(&p, "web", svc, 1, false);
        assert_eq!(l[PROJECT], "p");
        assert_eq!(l[SERVICE], "web");
        assert_eq!(l[ONEOFF], "False");
        assert_eq!(l[CONFIG_FILES], "/srv/compose.yaml");
        let mut changed = svc.clone();
        changed.command = Some(vec!["true".into()]);
        assert_ne!(config_hash(svc), config_hash(&changed));
        assert_eq!(config_hash(svc), config_hash(&svc.clone()));
    }
}
