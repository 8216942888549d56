//! One berth container as a Kubernetes container, with the pod volumes its mounts need.

use super::Source;
use crate::engine::{MountKind, MountSpec};
use crate::kube::model::{
    Capabilities, Container, ContainerPort, EnvVar, HostPathVolume, PvcVolume,
    ResourceRequirements, SecurityContext, Volume, VolumeMount,
};
use crate::kube::{names, quantity};
use std::collections::BTreeMap;

/// A container and what it brings to its pod.
pub(super) struct Built {
    /// The container.
    pub container: Container,
    /// The pod volumes its mounts use.
    pub volumes: Vec<Volume>,
    /// Named volumes it mounts, as berth names them (each becomes a PersistentVolumeClaim).
    pub claims: Vec<String>,
    /// What could not be expressed.
    pub warnings: Vec<String>,
}

/// `src` as a Kubernetes container; `host_ports`: publish its ports with `hostPort` (a Pod,
/// not a Deployment's template, whose replicas would clash).
pub(super) fn build(src: &Source, host_ports: bool) -> Built {
    let c = &src.config;
    let mut warnings = Vec::new();
    let mut k = Container {
        name: names::dns1123_label(&c.name, "container"),
        image: c.image.clone(),
        tty: c.tty,
        stdin: c.open_stdin,
        ..Container::default()
    };
    if c.entrypoint != src.image.entrypoint {
        k.command = c.entrypoint.clone();
        k.args = c.cmd.clone();
    } else if c.cmd != src.image.cmd {
        k.args = c.cmd.clone();
    }
    let image_dir = if src.image.working_dir.is_empty() {
        "/"
    } else {
        &src.image.working_dir
    };
    if c.working_dir != image_dir {
        k.working_dir = Some(c.working_dir.clone());
    }
    k.env = env(&c.env, &src.image.env);
    k.ports = ports(src, host_ports);
    let (mounts, volumes, claims) = mounts(src);
    k.volume_mounts = mounts;
    k.resources = resources(src, &mut warnings);
    k.security_context = security(src, &mut warnings);
    k.liveness_probe = super::probe::liveness(src);
    Built {
        container: k,
        volumes,
        claims,
        warnings,
    }
}

/// The variables the image does not set itself (Docker's default PATH included).
fn env(all: &[String], image: &[String]) -> Vec<EnvVar> {
    all.iter()
        .filter(|e| !image.contains(e))
        .filter(|e| image.iter().any(|i| i.starts_with("PATH=")) || !is_default_path(e))
        .map(|e| {
            let (name, value) = e.split_once('=').unwrap_or((e, ""));
            EnvVar {
                name: name.to_string(),
                value: Some(value.to_string()),
                value_from: None,
            }
        })
        .collect()
}

fn is_default_path(e: &str) -> bool {
    e == crate::engine::DEFAULT_PATH_ENV
}

/// Published ports (with `hostPort` in a Pod), then exposed ones not published.
fn ports(src: &Source, host_ports: bool) -> Vec<ContainerPort> {
    let net = &src.config.net;
    let protocol = |p: &str| (p == "udp").then(|| "UDP".to_string());
    let mut out: Vec<ContainerPort> = Vec::new();
    for b in &net.ports {
        let host_ip = Some(b.host_ip.clone()).filter(|ip| !ip.is_empty() && ip != "0.0.0.0");
        let port = ContainerPort {
            name: None,
            container_port: b.container_port,
            host_port: (host_ports && b.host_port != 0).then_some(b.host_port),
            host_ip: host_ip.filter(|_| host_ports),
            protocol: protocol(&b.protocol),
        };
        if !out.contains(&port) {
            out.push(port);
        }
    }
    for e in &net.exposed_ports {
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        let proto = protocol(proto);
        if !out
            .iter()
            .any(|p| p.container_port == port && p.protocol == proto)
        {
            out.push(ContainerPort {
                container_port: port,
                protocol: proto,
                ..ContainerPort::default()
            });
        }
    }
    out
}

/// Mounts as volume mounts, and the pod volumes behind them: a claim per named volume,
/// `hostPath` per bind, `emptyDir` for anonymous volumes and tmpfs (in memory).
fn mounts(src: &Source) -> (Vec<VolumeMount>, Vec<Volume>, Vec<String>) {
    let mut mounts = Vec::new();
    let mut volumes = Vec::new();
    let mut claims = Vec::new();
    for (i, m) in src.config.mounts.iter().enumerate() {
        let volume = pod_volume(src, m, i);
        if m.kind == MountKind::Volume && volume.persistent_volume_claim.is_some() {
            claims.push(m.source.clone());
        }
        mounts.push(VolumeMount {
            name: volume.name.clone(),
            mount_path: m.destination.clone(),
            read_only: m.read_only,
        });
        volumes.push(volume);
    }
    (mounts, volumes, claims)
}

fn pod_volume(src: &Source, m: &MountSpec, i: usize) -> Volume {
    let base = names::dns1123_label(&src.config.name, "container");
    match m.kind {
        MountKind::Volume if src.anonymous_volumes.contains(&m.source) => Volume {
            name: format!("{base}-anonymous-{i}"),
            empty_dir: Some(BTreeMap::new()),
            ..Volume::default()
        },
        MountKind::Volume => {
            let claim = names::dns1123_label(&m.source, "volume");
            Volume {
                name: format!("{}-pvc", trim(&claim, 59)),
                persistent_volume_claim: Some(PvcVolume {
                    claim_name: claim,
                    read_only: false,
                }),
                ..Volume::default()
            }
        }
        MountKind::Bind => {
            let kind = match src.bind_is_dir.get(&m.source) {
                Some(true) => Some("Directory".to_string()),
                Some(false) => Some("File".to_string()),
                None => None,
            };
            let label = names::dns1123_label(&m.source, "bind");
            Volume {
                name: format!("{}-host-{i}", trim(&label, 50)),
                host_path: Some(HostPathVolume {
                    path: m.source.clone(),
                    kind,
                }),
                ..Volume::default()
            }
        }
        MountKind::Tmpfs => Volume {
            name: format!("{base}-tmpfs-{i}"),
            empty_dir: Some(BTreeMap::from([(
                "medium".to_string(),
                serde_yaml_ng::Value::String("Memory".into()),
            )])),
            ..Volume::default()
        },
    }
}

/// `s` cut to at most `n` characters, without a trailing `-`.
fn trim(s: &str, n: usize) -> String {
    s.chars()
        .take(n)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// `--memory` and `--cpus` as limits.
fn resources(src: &Source, warnings: &mut Vec<String>) -> Option<ResourceRequirements> {
    let r = &src.config.resources;
    let mut limits = BTreeMap::new();
    if let Some(m) = r.memory.filter(|m| *m > 0) {
        limits.insert(
            "memory".to_string(),
            crate::kube::model::Quantity(quantity::memory(m)),
        );
    }
    if let Some(n) = r.nano_cpus.filter(|n| *n > 0) {
        limits.insert(
            "cpu".to_string(),
            crate::kube::model::Quantity(quantity::cpu(n)),
        );
    }
    if r.pids_limit.is_some_and(|p| p > 0) {
        warnings.push(format!(
            "container {}: --pids-limit has no per-container field in Kubernetes: left out",
            src.config.name
        ));
    }
    (!limits.is_empty()).then(|| ResourceRequirements {
        limits,
        requests: BTreeMap::new(),
    })
}

/// User, privilege, capabilities, read-only root and no-new-privileges, where set.
fn security(src: &Source, warnings: &mut Vec<String>) -> Option<SecurityContext> {
    let c = &src.config;
    let mut s = SecurityContext::default();
    if !c.user.is_empty() && c.user != src.image.user {
        let (user, group) = match c.user.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (c.user.as_str(), None),
        };
        match (user.parse::<u32>(), group.map(str::parse::<u32>)) {
            (Ok(u), None) => s.run_as_user = Some(u),
            (Ok(u), Some(Ok(g))) => {
                s.run_as_user = Some(u);
                s.run_as_group = Some(g);
            }
            _ => warnings.push(format!(
                "container {}: user '{}' is a name; Kubernetes' runAsUser takes a number: left out",
                c.name, c.user
            )),
        }
    }
    if c.security.privileged {
        s.privileged = Some(true);
    }
    if c.read_only {
        s.read_only_root_filesystem = Some(true);
    }
    if c.security.no_new_privileges {
        s.allow_privilege_escalation = Some(false);
    }
    let cap = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|c| c.strip_prefix("CAP_").unwrap_or(c).to_string())
            .collect()
    };
    if !c.security.cap_add.is_empty() || !c.security.cap_drop.is_empty() {
        s.capabilities = Some(Capabilities {
            add: cap(&c.security.cap_add),
            drop: cap(&c.security.cap_drop),
        });
    }
    (s != SecurityContext::default()).then_some(s)
}
