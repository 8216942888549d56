//! The values of single keys, checked and put in one shape: ports (short and long
//! syntax), mounts (named, bind with relative paths made absolute, anonymous, tmpfs),
//! healthchecks and durations.

use super::locate::Step;
use super::model;
use super::normalize::{Bad, absolute, bad};
use super::raw;
use std::path::Path;
use std::time::Duration;

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

fn port_number(s: &str) -> Result<u16, String> {
    s.parse::<u16>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{s}' is not a port number (1-65535)"))
}

pub fn port(p: raw::Port) -> Result<model::Port, String> {
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

pub fn mount(m: raw::Mount, dir: &Path) -> Result<model::Mount, String> {
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

pub fn healthcheck(h: raw::Healthcheck, path: &[Step]) -> Result<model::Healthcheck, Bad> {
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
        assert_eq!((m.kind.as_str(), m.source), ("volume", None));
        assert!(mount(raw::Mount::Short("data:rel".into()), dir).is_err());
    }
}
