//! From the file's shapes ([`super::raw`]) to the one-shape model ([`super::model`]):
//! every value checked, relative paths resolved against the project directory, `env_file`
//! read. An error is the key's path and a message; the loader turns the path into a file
//! and a line.

use super::env::{Environment, parse_env_file};
use super::interpolate::Vars;
use super::locate::Step;
use super::model::{self, Condition, Project};
use super::raw;
use super::values::{healthcheck, mount, parse_duration};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A bad value: where (its path) and what is wrong.
pub type Bad = (Vec<Step>, String);

fn at(path: &[&str]) -> Vec<Step> {
    path.iter().map(|s| Step::Key(s.to_string())).collect()
}

pub(super) fn bad<T>(path: Vec<Step>, msg: impl Into<String>) -> Result<T, Bad> {
    Err((path, msg.into()))
}

pub fn project(file: raw::File, name: &str, dir: &Path, env: &Environment) -> Result<Project, Bad> {
    let mut networks = BTreeMap::new();
    for (key, def) in file.networks {
        let def = def.unwrap_or_default();
        let path = at(&["networks", &key]);
        if let Some(d) = &def.driver
            && d != "bridge"
        {
            return bad(
                [path, at(&["driver"])].concat(),
                format!("network driver '{d}' is not supported (only bridge)"),
            );
        }
        let external = def.external.unwrap_or(false);
        networks.insert(
            key.clone(),
            model::NetworkDef {
                name: resource_name(name, &key, def.name, external),
                external,
                internal: def.internal.unwrap_or(false),
                labels: pairs(def.labels, env),
            },
        );
    }
    let mut volumes = BTreeMap::new();
    for (key, def) in file.volumes {
        let def = def.unwrap_or_default();
        if let Some(d) = &def.driver
            && d != "local"
        {
            return bad(
                at(&["volumes", &key, "driver"]),
                format!("volume driver '{d}' is not supported (only local)"),
            );
        }
        let external = def.external.unwrap_or(false);
        volumes.insert(
            key.clone(),
            model::VolumeDef {
                name: resource_name(name, &key, def.name, external),
                external,
                labels: pairs(def.labels, env),
            },
        );
    }
    let mut services = BTreeMap::new();
    for (key, svc) in file.services {
        let svc = service(name, &key, svc.unwrap_or_default(), dir, env)?;
        services.insert(key, svc);
    }
    if services.is_empty() {
        return bad(at(&["services"]), "no service is defined");
    }
    // `default` exists when a service uses it; every network used must be declared.
    for (key, svc) in &services {
        for net in svc.networks.keys() {
            if net == "default" && !networks.contains_key("default") {
                networks.insert(
                    "default".into(),
                    model::NetworkDef {
                        name: format!("{name}_default"),
                        external: false,
                        internal: false,
                        labels: BTreeMap::new(),
                    },
                );
            } else if !networks.contains_key(net) {
                return bad(
                    at(&["services", key, "networks", net]),
                    format!("service \"{key}\" refers to undefined network {net}"),
                );
            }
        }
        for (i, m) in svc.volumes.iter().enumerate() {
            if let (Some(src), "volume") = (&m.source, m.kind.as_str())
                && !volumes.contains_key(src)
            {
                let mut p = at(&["services", key, "volumes"]);
                p.push(Step::Index(i));
                return bad(
                    p,
                    format!("service \"{key}\" refers to undefined volume {src}"),
                );
            }
        }
        for (dep, d) in &svc.depends_on {
            if d.required && !services.contains_key(dep) {
                return bad(
                    at(&["services", key, "depends_on"]),
                    format!("service \"{key}\" depends on undefined service \"{dep}\""),
                );
            }
        }
    }
    Ok(Project {
        name: name.to_string(),
        services,
        networks,
        volumes,
        working_dir: dir.to_path_buf(),
        config_files: Vec::new(),
    })
}

fn resource_name(project: &str, key: &str, name: Option<String>, external: bool) -> String {
    match (name, external) {
        (Some(n), _) => n,
        (None, true) => key.to_string(),
        (None, false) => format!("{project}_{key}"),
    }
}

/// `KEY=VALUE` pairs; a key without a value takes the environment's, or is dropped.
fn pairs(kv: Option<raw::KeyValues>, env: &Environment) -> BTreeMap<String, String> {
    kv.map(raw::KeyValues::pairs)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| match v {
            Some(v) => Some((k, v)),
            None => env.get(&k).map(|v| (k, v)),
        })
        .collect()
}

fn words(w: raw::Words, path: Vec<Step>) -> Result<Vec<String>, Bad> {
    match w {
        raw::Words::Many(v) => Ok(v),
        raw::Words::One(s) => match shlex::split(&s) {
            Some(v) => Ok(v),
            None => bad(
                path,
                format!("cannot split '{s}' into words (unbalanced quotes)"),
            ),
        },
    }
}

pub(super) fn absolute(dir: &Path, p: &str) -> PathBuf {
    let p = match p.strip_prefix("~/") {
        Some(rest) => std::env::var("HOME")
            .map(|h| PathBuf::from(h).join(rest))
            .unwrap_or_else(|_| PathBuf::from(p)),
        None => PathBuf::from(p),
    };
    let joined = if p.is_absolute() { p } else { dir.join(p) };
    // Lexically clean `.` and `..` (the path may not exist yet).
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn service(
    project: &str,
    key: &str,
    s: raw::Service,
    dir: &Path,
    env: &Environment,
) -> Result<model::Service, Bad> {
    let p = |k: &str| at(&["services", key, k]);
    let build = s.build.map(|b| {
        let long = match b {
            raw::Build::Context(c) => raw::BuildLong {
                context: Some(c),
                dockerfile: None,
                args: None,
                target: None,
                labels: None,
            },
            raw::Build::Long(l) => l,
        };
        model::Build {
            context: absolute(dir, long.context.as_deref().unwrap_or(".")),
            dockerfile: long.dockerfile,
            args: pairs(long.args, env),
            target: long.target,
            labels: pairs(long.labels, env),
        }
    });
    let image = match (s.image, &build) {
        (Some(i), _) if !i.is_empty() => i,
        (_, Some(_)) => format!("{project}-{key}"),
        _ => {
            return bad(
                at(&["services", key]),
                format!("service \"{key}\" has neither an image nor a build context specified"),
            );
        }
    };
    let mut environment = BTreeMap::new();
    for (i, f) in s
        .env_file
        .map(raw::OneOrMany::into_vec)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let path = absolute(dir, f);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let mut at = p("env_file");
            at.push(Step::Index(i));
            (at, format!("cannot read env file {}: {e}", path.display()))
        })?;
        for (k, v) in parse_env_file(&text) {
            if let Some(v) = v.or_else(|| env.get(&k)) {
                environment.insert(k, v);
            }
        }
    }
    environment.extend(pairs(s.environment, env));
    let mut ports = Vec::new();
    for (i, port) in s.ports.into_iter().enumerate() {
        let mut at = p("ports");
        at.push(Step::Index(i));
        ports.push(super::values::port(port).map_err(|m| (at, m))?);
    }
    let mut volumes = Vec::new();
    for (i, m) in s.volumes.into_iter().enumerate() {
        let mut at = p("volumes");
        at.push(Step::Index(i));
        volumes.push(mount(m, dir).map_err(|m| (at, m))?);
    }
    let networks = match s.networks {
        None => BTreeMap::from([("default".to_string(), model::ServiceNetwork::default())]),
        Some(raw::ServiceNetworks::List(l)) => l
            .into_iter()
            .map(|n| (n, model::ServiceNetwork::default()))
            .collect(),
        Some(raw::ServiceNetworks::Map(m)) => m
            .into_iter()
            .map(|(n, v)| {
                let v = v.unwrap_or_default();
                (
                    n,
                    model::ServiceNetwork {
                        aliases: v.aliases,
                        ipv4_address: v.ipv4_address,
                    },
                )
            })
            .collect(),
    };
    let depends_on = match s.depends_on {
        None => BTreeMap::new(),
        Some(raw::DependsOn::List(l)) => l
            .into_iter()
            .map(|d| {
                (
                    d,
                    model::Dependency {
                        condition: Condition::ServiceStarted,
                        required: true,
                    },
                )
            })
            .collect(),
        Some(raw::DependsOn::Map(m)) => {
            let mut out = BTreeMap::new();
            for (d, dep) in m {
                let condition = match dep.condition.as_deref() {
                    None | Some("service_started") => Condition::ServiceStarted,
                    Some("service_healthy") => Condition::ServiceHealthy,
                    Some("service_completed_successfully") => {
                        Condition::ServiceCompletedSuccessfully
                    }
                    Some(other) => {
                        return bad(
                            at(&["services", key, "depends_on", &d, "condition"]),
                            format!(
                                "invalid condition '{other}': use service_started, service_healthy or service_completed_successfully"
                            ),
                        );
                    }
                };
                out.insert(
                    d,
                    model::Dependency {
                        condition,
                        required: dep.required.unwrap_or(true),
                    },
                );
            }
            out
        }
    };
    if depends_on.contains_key(key) {
        return bad(
            p("depends_on"),
            format!("service \"{key}\" depends on itself"),
        );
    }
    let healthcheck = match s.healthcheck {
        None => None,
        Some(h) => Some(healthcheck(h, &p("healthcheck"))?),
    };
    if let Some(r) = &s.restart {
        let ok = matches!(
            r.as_str(),
            "no" | "always" | "unless-stopped" | "on-failure"
        ) || r
            .strip_prefix("on-failure:")
            .is_some_and(|n| n.parse::<u32>().is_ok());
        if !ok {
            return bad(
                p("restart"),
                format!(
                    "invalid restart policy '{r}': use no, always, on-failure[:max-retries] or unless-stopped"
                ),
            );
        }
    }
    if let Some(g) = &s.stop_grace_period
        && parse_duration(g).is_none()
    {
        return bad(p("stop_grace_period"), format!("invalid duration '{g}'"));
    }
    let command = s.command.map(|w| words(w, p("command"))).transpose()?;
    let entrypoint = s
        .entrypoint
        .map(|w| words(w, p("entrypoint")))
        .transpose()?;
    Ok(model::Service {
        image,
        build,
        command,
        entrypoint,
        environment,
        ports,
        expose: s.expose.iter().map(raw::Scalar::text).collect(),
        volumes,
        networks,
        depends_on,
        healthcheck,
        restart: s.restart,
        labels: pairs(s.labels, env),
        working_dir: s.working_dir,
        user: s.user,
        hostname: s.hostname,
        container_name: s.container_name,
        tty: s.tty,
        stdin_open: s.stdin_open,
        stop_grace_period: s.stop_grace_period,
    })
}
