//! From the file's shapes ([`super::raw`]) to the one-shape model ([`super::model`]):
//! every value checked, relative paths resolved against the project directory, `env_file`
//! read. An error is the key's path and a message; the loader turns the path into a file
//! and a line.

use super::env::{Environment, parse_env_file};
use super::interpolate::Vars;
use super::locate::Step;
use super::model::{self, Condition, Project};
use super::raw;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A bad value: where (its path) and what is wrong.
pub type Bad = (Vec<Step>, String);

fn at(path: &[&str]) -> Vec<Step> {
    path.iter().map(|s| Step::Key(s.to_string())).collect()
}

fn bad<T>(path: Vec<Step>, msg: impl Into<String>) -> Result<T, Bad> {
    Err((path, msg.into()))
}

/// Parses a Compose duration (`1m30s`, `10s`, `500ms`, `1h`, `2us`).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..n_len].parse().ok()?;
        rest = &rest[n_len..];
        let u_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let secs = match &rest[..u_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        rest = &rest[u_len..];
        total += Duration::from_secs_f64(n * secs);
    }
    Some(total)
}

/// Turns the merged file into the project named `name` in directory `dir`.
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

fn absolute(dir: &Path, p: &str) -> PathBuf {
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
        ports.push(self::port(port).map_err(|m| (at, m))?);
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

fn port_number(s: &str) -> Result<u16, String> {
    s.parse::<u16>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{s}' is not a port number (1-65535)"))
}

fn port(p: raw::Port) -> Result<model::Port, String> {
    match p {
        raw::Port::Number(n) => Ok(model::Port {
            target: port_number(&n.to_string())?,
            published: None,
            host_ip: None,
            protocol: "tcp".into(),
        }),
        raw::Port::Short(s) => {
            if s.contains('-') {
                return Err(format!("invalid port '{s}': port ranges are not supported"));
            }
            let (spec, proto) = match s.rsplit_once('/') {
                Some((a, p)) => (a, p.to_ascii_lowercase()),
                None => (s.as_str(), "tcp".to_string()),
            };
            let parts: Vec<&str> = spec.split(':').collect();
            let (ip, host, target) = match parts.as_slice() {
                [t] => (None, None, *t),
                [h, t] => (None, Some(*h), *t),
                [i, h, t] => (Some(*i), Some(*h).filter(|h| !h.is_empty()), *t),
                _ => {
                    return Err(format!(
                        "invalid port '{s}': use [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"
                    ));
                }
            };
            long(target, host, ip, &proto).map_err(|e| format!("invalid port '{s}': {e}"))
        }
        raw::Port::Long(l) => {
            let published = l.published.map(|p| p.text());
            long(
                &l.target.to_string(),
                published.as_deref().filter(|p| !p.is_empty()),
                l.host_ip.as_deref(),
                l.protocol.as_deref().unwrap_or("tcp"),
            )
        }
    }
}

fn long(
    target: &str,
    published: Option<&str>,
    ip: Option<&str>,
    proto: &str,
) -> Result<model::Port, String> {
    if proto != "tcp" && proto != "udp" {
        return Err(format!("protocol '{proto}': use tcp or udp"));
    }
    if let Some(ip) = ip
        && ip.parse::<std::net::Ipv4Addr>().is_err()
    {
        return Err(format!("host address '{ip}' is not an IPv4 address"));
    }
    Ok(model::Port {
        target: port_number(target)?,
        published: published.map(port_number).transpose()?,
        host_ip: ip.map(str::to_string),
        protocol: proto.to_string(),
    })
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') || s.starts_with('.') || s.starts_with('~')
}

fn mount(m: raw::Mount, dir: &Path) -> Result<model::Mount, String> {
    let (kind, source, target, read_only) = match m {
        raw::Mount::Short(s) => {
            let parts: Vec<&str> = s.split(':').collect();
            let (src, target, mode) = match parts.as_slice() {
                [t] => (None, *t, None),
                [src, t] => (Some(*src), *t, None),
                [src, t, mode] => (Some(*src), *t, Some(*mode)),
                _ => return Err(format!("invalid volume '{s}': use [SOURCE:]TARGET[:MODE]")),
            };
            let mut read_only = false;
            for opt in mode.unwrap_or("").split(',').filter(|o| !o.is_empty()) {
                match opt {
                    "ro" => read_only = true,
                    "rw" | "z" | "Z" | "nocopy" => {}
                    other => return Err(format!("invalid volume '{s}': unknown mode '{other}'")),
                }
            }
            let kind = match src {
                Some(p) if is_path(p) => "bind",
                _ => "volume",
            };
            (
                kind.to_string(),
                src.map(str::to_string),
                target.to_string(),
                read_only,
            )
        }
        raw::Mount::Long(l) => {
            if !matches!(l.kind.as_str(), "volume" | "bind" | "tmpfs") {
                return Err(format!(
                    "volume type '{}' is not supported (use volume, bind or tmpfs)",
                    l.kind
                ));
            }
            if l.kind == "bind" && l.source.is_none() {
                return Err("a bind mount needs a source".into());
            }
            (l.kind, l.source, l.target, l.read_only)
        }
    };
    if !target.starts_with('/') {
        return Err(format!("the target '{target}' must be an absolute path"));
    }
    let source = match (kind.as_str(), source) {
        ("bind", Some(s)) => Some(absolute(dir, &s).to_string_lossy().into_owned()),
        ("tmpfs", _) => None,
        (_, s) => s,
    };
    Ok(model::Mount {
        kind,
        source,
        target,
        read_only,
    })
}

fn healthcheck(h: raw::Healthcheck, path: &[Step]) -> Result<model::Healthcheck, Bad> {
    let sub = |k: &str| {
        let mut p = path.to_vec();
        p.push(Step::Key(k.into()));
        p
    };
    for (k, v) in [
        ("interval", &h.interval),
        ("timeout", &h.timeout),
        ("start_period", &h.start_period),
        ("start_interval", &h.start_interval),
    ] {
        if let Some(v) = v
            && parse_duration(v).is_none()
        {
            return bad(
                sub(k),
                format!("invalid duration '{v}': use e.g. 30s, 1m30s or 500ms"),
            );
        }
    }
    let test = match h.test {
        None => Vec::new(),
        Some(raw::Words::One(s)) => vec!["CMD-SHELL".to_string(), s],
        Some(raw::Words::Many(v)) => {
            let ok = match v.first().map(String::as_str) {
                Some("NONE") => true,
                Some("CMD") | Some("CMD-SHELL") => v.len() > 1,
                _ => false,
            };
            if !ok {
                return bad(
                    sub("test"),
                    "a test list starts with CMD, CMD-SHELL or NONE (and CMD/CMD-SHELL with a command)",
                );
            }
            v
        }
    };
    Ok(model::Healthcheck {
        test,
        interval: h.interval,
        timeout: h.timeout,
        retries: h.retries,
        start_period: h.start_period,
        start_interval: h.start_interval,
        disable: h.disable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("x"), None);
    }

    #[test]
    fn ports_short_and_long() {
        let p = port(raw::Port::Short("127.0.0.1:8080:80/udp".into())).expect("port");
        assert_eq!(
            p,
            model::Port {
                target: 80,
                published: Some(8080),
                host_ip: Some("127.0.0.1".into()),
                protocol: "udp".into()
            }
        );
        assert_eq!(
            port(raw::Port::Short("80".into())).expect("port").published,
            None
        );
        assert!(port(raw::Port::Short("8080:http".into())).is_err());
        assert!(port(raw::Port::Short("8000-8001:80-81".into())).is_err());
    }

    #[test]
    fn mounts_named_bind_and_anonymous() {
        let dir = Path::new("/srv/app");
        let m = mount(raw::Mount::Short("./html:/usr/share:ro".into()), dir).expect("bind");
        assert_eq!(
            (m.kind.as_str(), m.source.as_deref()),
            ("bind", Some("/srv/app/html"))
        );
        assert!(m.read_only);
        let m = mount(raw::Mount::Short("data:/data".into()), dir).expect("volume");
        assert_eq!(
            (m.kind.as_str(), m.source.as_deref()),
            ("volume", Some("data"))
        );
        let m = mount(raw::Mount::Short("/cache".into()), dir).expect("anonymous");
        assert_eq!((m.kind.as_str(), m.source), ("volume".into(), None));
        assert!(mount(raw::Mount::Short("data:rel".into()), dir).is_err());
    }
}
