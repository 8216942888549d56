//! One container of a pod spec as berth's create options.

use super::parse::field;
use super::plan::{ConfigMaps, PlannedContainer};
use super::volumes::{PodPlace, PodVolume};
use crate::engine::{CreateOptions, PortBinding, Resources, normalize_capability};
use crate::kube::error::KubeError;
use crate::kube::model::{Container, EnvVar, SecurityContext};
use crate::kube::quantity;
use std::collections::BTreeMap;

/// What the containers of one pod share.
pub struct PodContext<'a> {
    /// Where the pod is.
    pub place: PodPlace<'a>,
    /// The pod's volumes by name.
    pub volumes: &'a BTreeMap<String, PodVolume>,
    /// The file's ConfigMaps.
    pub config_maps: &'a ConfigMaps,
}

/// Container `i` of the pod as create options (name `<pod>-<container>`); labels,
/// network, restart policy and hostname are the caller's.
pub fn plan(
    ctx: &PodContext<'_>,
    i: usize,
    c: &Container,
    base: &CreateOptions,
) -> Result<PlannedContainer, KubeError> {
    let label = ctx.place.label;
    let path = format!("{}.containers[{i}]", ctx.place.spec_path);
    let err = |f: &str, why: &str| field(label, &format!("{path}.{f}"), why);
    if c.name.is_empty() {
        return Err(err("name", "missing: every container needs a name"));
    }
    if c.image.is_empty() {
        return Err(err("image", "missing: every container needs an image"));
    }
    let mut o = base.clone();
    o.name = Some(format!("{}-{}", ctx.place.pod, c.name));
    o.image = c.image.clone();
    match c.command.split_first() {
        Some((first, rest)) => {
            o.entrypoint = Some(first.clone());
            o.cmd = rest.iter().chain(c.args.iter()).cloned().collect();
        }
        None => o.cmd = c.args.clone(),
    }
    o.working_dir = c.working_dir.clone().filter(|w| !w.is_empty());
    o.tty = c.tty;
    o.open_stdin = c.stdin;
    o.env = env(ctx, &path, c)?;
    let mut named_ports = Vec::new();
    for (j, p) in c.ports.iter().enumerate() {
        let proto = match p.protocol.as_deref().unwrap_or("TCP") {
            "TCP" => "tcp",
            "UDP" => "udp",
            other => {
                return Err(err(
                    &format!("ports[{j}].protocol"),
                    &format!("'{other}' is not supported: use TCP or UDP"),
                ));
            }
        };
        if p.container_port == 0 {
            return Err(err(
                &format!("ports[{j}].containerPort"),
                "0 is not a port (1-65535)",
            ));
        }
        match p.host_port.filter(|h| *h != 0) {
            Some(host_port) => o.ports.push(PortBinding {
                host_ip: p.host_ip.clone().unwrap_or_default(),
                host_port,
                container_port: p.container_port,
                protocol: proto.to_string(),
            }),
            None => o.expose.push(format!("{}/{proto}", p.container_port)),
        }
        named_ports.push((p.name.clone(), p.container_port, proto.to_string()));
    }
    for (j, m) in c.volume_mounts.iter().enumerate() {
        let Some(v) = ctx.volumes.get(&m.name) else {
            return Err(err(
                &format!("volumeMounts[{j}].name"),
                &format!("no volume '{}' in the pod's volumes", m.name),
            ));
        };
        if !m.mount_path.starts_with('/') {
            return Err(err(
                &format!("volumeMounts[{j}].mountPath"),
                &format!("'{}' is not an absolute path", m.mount_path),
            ));
        }
        o.mounts.push(v.mount(&m.mount_path, m.read_only));
    }
    if let Some(r) = &c.resources {
        o.resources = resources(&r.limits, &|f, why| {
            err(&format!("resources.limits.{f}"), why)
        })?;
    }
    if let Some(s) = &c.security_context {
        security(&mut o, s, &|f, why| {
            err(&format!("securityContext.{f}"), why)
        })?;
    }
    let mut warnings = Vec::new();
    if let Some(p) = &c.liveness_probe {
        let probe_err = |f: &str, why: &str| err(&format!("livenessProbe.{f}"), why);
        if let Some(w) = super::probe::apply(&mut o, p, &probe_err)? {
            warnings.push(format!("{label}: {path}.livenessProbe: {w}"));
        }
    }
    Ok(PlannedContainer {
        spec_name: c.name.clone(),
        ports: named_ports,
        options: o,
        warnings,
    })
}

/// `envFrom` first, then `env` (later names win, as in Kubernetes).
fn env(ctx: &PodContext<'_>, path: &str, c: &Container) -> Result<Vec<String>, KubeError> {
    let label = ctx.place.label;
    let mut out = Vec::new();
    for (j, from) in c.env_from.iter().enumerate() {
        let at = format!("{path}.envFrom[{j}]");
        if from.secret_ref.is_some() {
            return Err(field(label, &at, "secretRef: Secrets are not supported"));
        }
        let Some(r) = &from.config_map_ref else {
            continue;
        };
        match ctx.config_maps.get(&r.name) {
            Some(data) => {
                let prefix = from.prefix.clone().unwrap_or_default();
                for (k, v) in data {
                    out.push(format!("{prefix}{k}={}", String::from_utf8_lossy(v)));
                }
            }
            None if r.optional => {}
            None => {
                return Err(field(
                    label,
                    &format!("{at}.configMapRef.name"),
                    &format!("ConfigMap '{}' is not in the file", r.name),
                ));
            }
        }
    }
    for (j, e) in c.env.iter().enumerate() {
        let at = format!("{path}.env[{j}]");
        if let Some(v) = one_env(ctx, &at, e)? {
            out.push(format!("{}={v}", e.name));
        }
    }
    Ok(out)
}

fn one_env(ctx: &PodContext<'_>, at: &str, e: &EnvVar) -> Result<Option<String>, KubeError> {
    let label = ctx.place.label;
    if e.name.is_empty() {
        return Err(field(label, &format!("{at}.name"), "missing"));
    }
    let Some(from) = &e.value_from else {
        return Ok(Some(e.value.clone().unwrap_or_default()));
    };
    if from.secret_key_ref.is_some() || from.field_ref.is_some() {
        return Err(field(
            label,
            &format!("{at}.valueFrom"),
            "only configMapKeyRef is supported (not secretKeyRef or fieldRef)",
        ));
    }
    let Some(r) = &from.config_map_key_ref else {
        return Err(field(
            label,
            &format!("{at}.valueFrom"),
            "needs configMapKeyRef",
        ));
    };
    let at = format!("{at}.valueFrom.configMapKeyRef");
    match ctx.config_maps.get(&r.name).map(|d| d.get(&r.key)) {
        Some(Some(v)) => Ok(Some(String::from_utf8_lossy(v).into_owned())),
        _ if r.optional => Ok(None),
        None => Err(field(
            label,
            &format!("{at}.name"),
            &format!("ConfigMap '{}' is not in the file", r.name),
        )),
        Some(None) => Err(field(
            label,
            &format!("{at}.key"),
            &format!("ConfigMap '{}' has no key '{}'", r.name, r.key),
        )),
    }
}

type FieldError<'a> = &'a dyn Fn(&str, &str) -> KubeError;

/// `limits.memory` and `limits.cpu` (requests are a scheduler's business).
fn resources(
    limits: &BTreeMap<String, crate::kube::model::Quantity>,
    err: FieldError<'_>,
) -> Result<Resources, KubeError> {
    let mut r = Resources::default();
    if let Some(q) = limits.get("memory") {
        let bytes = quantity::parse(&q.0)
            .ok_or_else(|| err("memory", &format!("'{}' is not a quantity", q.0)))?;
        if bytes < 6.0 * 1024.0 * 1024.0 {
            return Err(err(
                "memory",
                &format!("'{}': the minimum memory limit is 6Mi", q.0),
            ));
        }
        r.memory = Some(bytes as i64);
    }
    if let Some(q) = limits.get("cpu") {
        let cpus = quantity::parse(&q.0)
            .filter(|c| *c > 0.0)
            .ok_or_else(|| err("cpu", &format!("'{}' is not a CPU quantity", q.0)))?;
        r.nano_cpus = Some((cpus * 1e9) as i64);
    }
    Ok(r)
}

/// User, privilege, capabilities, read-only root, no-new-privileges.
fn security(
    o: &mut CreateOptions,
    s: &SecurityContext,
    err: FieldError<'_>,
) -> Result<(), KubeError> {
    match (s.run_as_user, s.run_as_group) {
        (Some(u), Some(g)) => o.user = Some(format!("{u}:{g}")),
        (Some(u), None) => o.user = Some(u.to_string()),
        (None, Some(g)) => o.user = Some(format!("0:{g}")),
        (None, None) => {}
    }
    if s.privileged == Some(true) {
        o.security.privileged = true;
    }
    if s.read_only_root_filesystem == Some(true) {
        o.read_only = true;
    }
    if s.allow_privilege_escalation == Some(false) {
        o.security.no_new_privileges = true;
    }
    if let Some(caps) = &s.capabilities {
        for (list, out, name) in [
            (&caps.add, &mut o.security.cap_add, "add"),
            (&caps.drop, &mut o.security.cap_drop, "drop"),
        ] {
            for (j, c) in list.iter().enumerate() {
                let cap = normalize_capability(c)
                    .map_err(|e| err(&format!("capabilities.{name}[{j}]"), &e.to_string()))?;
                out.push(cap);
            }
        }
    }
    Ok(())
}
