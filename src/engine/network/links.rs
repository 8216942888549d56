//! Docker's legacy links (`--link` on the default bridge): the /etc/hosts lines and the
//! environment variables (`DB_PORT_5432_TCP_ADDR`, `DB_NAME`, `DB_ENV_...`) a linking
//! container gets for each target. Links on user networks are DNS aliases instead
//! (`dns::lookup`).

use super::{Endpoint, Network};
use crate::engine::container::{ContainerConfig, Link, record};
use crate::engine::store::Paths;

/// Each legacy link of `config` whose target is on the default bridge with it: the link,
/// the target's record and its endpoint there.
fn targets<'a>(
    paths: &Paths,
    config: &'a ContainerConfig,
    all: &'a [Network],
) -> Vec<(&'a Link, ContainerConfig, &'a Endpoint)> {
    let Some(bridge) = all
        .iter()
        .find(|n| n.name == "bridge" && n.endpoints.contains_key(&config.id))
    else {
        return Vec::new();
    };
    config
        .net
        .links
        .iter()
        .filter_map(|l| {
            let e = bridge.endpoints.get(l.target.as_str())?;
            let target = record::load(paths, &l.target).ok()?;
            Some((l, target.config, e))
        })
        .collect()
}

/// The /etc/hosts lines (address, names) of `config`'s legacy links: the target's alias,
/// its hostname and (when not the alias) its name.
pub fn hosts_lines(
    paths: &Paths,
    config: &ContainerConfig,
    all: &[Network],
) -> Vec<(String, String)> {
    targets(paths, config, all)
        .into_iter()
        .map(|(l, target, e)| {
            let mut names = format!("{} {}", l.alias, target.hostname);
            if l.alias != target.name {
                names.push(' ');
                names.push_str(&target.name);
            }
            (e.ipv4.clone(), names)
        })
        .collect()
}

/// The environment of `config`'s process: its legacy links' variables first, then its own
/// (which replace a variable of the same name), as Docker builds it.
pub fn process_env(paths: &Paths, config: &ContainerConfig) -> Vec<String> {
    if config.net.links.is_empty() || config.network_mode != "bridge" {
        return config.env.clone();
    }
    let all = super::store::list_raw(paths);
    let mut env = Vec::new();
    for (l, target, e) in targets(paths, config, &all) {
        let name = format!("/{}/{}", config.name, l.alias);
        env.extend(link_env(
            &name,
            &e.ipv4,
            &target.net.exposed_ports,
            &target.env,
        ));
    }
    for v in &config.env {
        let key = v.split('=').next().unwrap_or_default();
        match env.iter_mut().find(|x| x.split('=').next() == Some(key)) {
            Some(slot) => *slot = v.clone(),
            None => env.push(v.clone()),
        }
    }
    env
}

/// Docker's variables of one link named `name` (`/web/db`) to a target at `ip` with
/// `exposed` ports (`80/tcp`) and environment `target_env`.
pub fn link_env(name: &str, ip: &str, exposed: &[String], target_env: &[String]) -> Vec<String> {
    let alias = name
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
        .replace('-', "_");
    let mut ports: Vec<(u16, String)> = exposed
        .iter()
        .filter_map(|k| super::exposed::parse_key(k))
        .collect();
    // TCP first, then by number: consecutive ports of a protocol make a range.
    ports.sort_by(|a, b| (a.1 != "tcp", &a.1, a.0).cmp(&(b.1 != "tcp", &b.1, b.0)));
    let mut env = Vec::new();
    let mut range: Option<((u16, String), u16)> = None;
    let close = |env: &mut Vec<String>, r: &Option<((u16, String), u16)>| {
        if let Some(((start, proto), end)) = r
            && end != start
        {
            let prefix = format!("{alias}_PORT_{start}_{}", proto.to_ascii_uppercase());
            env.push(format!("{prefix}_START={proto}://{ip}:{start}"));
            env.push(format!("{prefix}_PORT_START={start}"));
            env.push(format!("{prefix}_END={proto}://{ip}:{end}"));
            env.push(format!("{prefix}_PORT_END={end}"));
        }
    };
    for (i, (port, proto)) in ports.iter().enumerate() {
        if i == 0 {
            env.push(format!("{alias}_PORT={proto}://{ip}:{port}"));
        }
        let prefix = format!("{alias}_PORT_{port}_{}", proto.to_ascii_uppercase());
        env.push(format!("{prefix}={proto}://{ip}:{port}"));
        env.push(format!("{prefix}_ADDR={ip}"));
        env.push(format!("{prefix}_PORT={port}"));
        env.push(format!("{prefix}_PROTO={proto}"));
        match &mut range {
            Some(((_, p), end)) if p == proto && *port == end.wrapping_add(1) => *end = *port,
            _ => {
                close(&mut env, &range);
                range = Some(((*port, proto.clone()), *port));
            }
        }
    }
    close(&mut env, &range);
    env.push(format!("{alias}_NAME={name}"));
    for v in target_env {
        let Some((k, val)) = v.split_once('=') else {
            continue;
        };
        if k != "HOME" && k != "PATH" {
            env.push(format!("{alias}_ENV_{k}={val}"));
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_port_and_the_target_environment() {
        let env = link_env(
            "/web/my-db",
            "172.17.0.2",
            &["5432/tcp".into()],
            &["PATH=/bin".into(), "POSTGRES_DB=app".into()],
        );
        assert_eq!(
            env,
            [
                "MY_DB_PORT=tcp://172.17.0.2:5432",
                "MY_DB_PORT_5432_TCP=tcp://172.17.0.2:5432",
                "MY_DB_PORT_5432_TCP_ADDR=172.17.0.2",
                "MY_DB_PORT_5432_TCP_PORT=5432",
                "MY_DB_PORT_5432_TCP_PROTO=tcp",
                "MY_DB_NAME=/web/my-db",
                "MY_DB_ENV_POSTGRES_DB=app",
            ]
        );
    }

    #[test]
    fn tcp_comes_first_and_ranges_get_start_and_end() {
        let exposed = ["53/udp", "8001/tcp", "8000/tcp"].map(String::from);
        let env = link_env("/a/b", "10.0.0.2", &exposed, &[]);
        assert_eq!(env[0], "B_PORT=tcp://10.0.0.2:8000");
        assert!(env.contains(&"B_PORT_8000_TCP_START=tcp://10.0.0.2:8000".to_string()));
        assert!(env.contains(&"B_PORT_8000_TCP_PORT_END=8001".to_string()));
        assert!(env.contains(&"B_PORT_53_UDP_PROTO=udp".to_string()));
        let udp_at = env.iter().position(|v| v.starts_with("B_PORT_53_UDP="));
        let tcp_at = env.iter().position(|v| v.starts_with("B_PORT_8001_TCP="));
        assert!(tcp_at < udp_at, "{env:?}");
        assert!(!env.iter().any(|v| v.contains("_53_UDP_START")));
        assert_eq!(env.last().map(String::as_str), Some("B_NAME=/a/b"));
    }
}
