//! The generated /etc/hosts and /etc/resolv.conf of a container.

use std::net::{IpAddr, SocketAddr};

/// The address of the embedded DNS server inside containers on user networks.
pub const EMBEDDED_DNS: &str = "127.0.0.11";

const LOCAL: &str = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

/// /etc/hosts: localhost lines, `--add-host` entries (`name:ip`), the legacy links'
/// lines (`ip\tnames`), then the container's addresses with its hostname.
pub fn hosts_file(
    hostname: &str,
    addrs: &[String],
    extra_hosts: &[String],
    links: &[(String, String)],
) -> String {
    let mut s = LOCAL.to_string();
    for h in extra_hosts {
        if let Some((name, ip)) = h.split_once(':') {
            s.push_str(&format!("{ip}\t{name}\n"));
        }
    }
    for (ip, names) in links {
        s.push_str(&format!("{ip}\t{names}\n"));
    }
    for a in addrs {
        s.push_str(&format!("{a}\t{hostname}\n"));
    }
    s
}

/// The `nameserver` addresses of a resolv.conf text.
pub fn nameservers(resolv: &str) -> Vec<IpAddr> {
    resolv
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .filter_map(|a| a.trim().parse().ok())
        .collect()
}

/// Where the embedded DNS server forwards names it does not know: the `--dns` servers if
/// given, else the host's resolvers (reached from the host's namespace, loopback ones too).
pub fn upstreams(host_resolv: &str, dns: &[String]) -> Vec<SocketAddr> {
    let list: Vec<IpAddr> = if dns.is_empty() {
        nameservers(host_resolv)
    } else {
        dns.iter().filter_map(|d| d.parse().ok()).collect()
    };
    list.into_iter().map(|ip| SocketAddr::new(ip, 53)).collect()
}

/// /etc/resolv.conf: on a user network the embedded server; elsewhere the host's file with
/// `--dns` servers in place of its own, and without loopback servers (unreachable from a
/// container's namespace) — Google's public servers then, as Docker does.
pub fn resolv_conf(host_resolv: &str, user_network: bool, dns: &[String]) -> String {
    let others: Vec<&str> = host_resolv
        .lines()
        .filter(|l| !l.trim().starts_with("nameserver"))
        .collect();
    let mut s = String::new();
    if user_network {
        s.push_str(&format!("nameserver {EMBEDDED_DNS}\n"));
        for l in others.iter().filter(|l| l.trim().starts_with("search")) {
            s.push_str(&format!("{l}\n"));
        }
        s.push_str("options ndots:0\n");
        return s;
    }
    for l in &others {
        s.push_str(&format!("{l}\n"));
    }
    let mut servers: Vec<String> = if dns.is_empty() {
        nameservers(host_resolv)
            .into_iter()
            .filter(|ip| !ip.is_loopback())
            .map(|ip| ip.to_string())
            .collect()
    } else {
        dns.to_vec()
    };
    if servers.is_empty() {
        servers = vec!["8.8.8.8".into(), "8.8.4.4".into()];
    }
    for n in servers {
        s.push_str(&format!("nameserver {n}\n"));
    }
    s
}

/// The /etc/hosts and /etc/resolv.conf texts of `config` (not on the host network), from
/// its network records.
pub fn for_container(
    paths: &crate::engine::store::Paths,
    config: &crate::engine::container::ContainerConfig,
    host_resolv: &str,
) -> (String, String) {
    // `none` (and `host`) containers are on no network of berth's: no records to read.
    let all = if config.on_berth_network() {
        super::store::list_raw(paths)
    } else {
        Vec::new()
    };
    let att = super::attachments(&all, &config.id);
    let addrs: Vec<String> = att.iter().map(|(_, e)| e.ipv4.clone()).collect();
    let user = att.iter().any(|(n, _)| n.is_user_bridge());
    (
        hosts_file(
            &config.hostname,
            &addrs,
            &config.net.extra_hosts,
            &super::links::hosts_lines(paths, config, &all),
        ),
        resolv_conf(host_resolv, user, &config.net.dns),
    )
}

/// Rewrites the /etc/hosts of running container `config` from its network records (after
/// `network connect` / `disconnect`). The file is berth's own (`containers/<id>/hosts`,
/// bind-mounted into the container), so it is rewritten in place — a new file would not
/// be seen through the bind mount — opened without following a symlink and only if it
/// is a regular file. A container that never started has none: nothing to do.
pub fn rewrite_hosts(
    paths: &crate::engine::store::Paths,
    config: &crate::engine::container::ContainerConfig,
) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = paths.container(&config.id).join("hosts");
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    let (text, _) = for_container(paths, config, "");
    f.write_all(text.as_bytes())?;
    f.set_len(text.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_has_address_and_extra_hosts() {
        let h = hosts_file(
            "web",
            &["172.18.0.2".into()],
            &["db:10.0.0.9".into()],
            &[("172.17.0.3".into(), "cache 0123456789ab redis".into())],
        );
        assert!(h.starts_with("127.0.0.1\tlocalhost\n"));
        assert!(h.contains("10.0.0.9\tdb\n172.17.0.3\tcache 0123456789ab redis\n"));
        assert!(h.ends_with("172.18.0.2\tweb\n"));
    }

    #[test]
    fn resolv_for_user_and_default_networks() {
        let host = "search example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.1\n";
        let user = resolv_conf(host, true, &[]);
        assert_eq!(
            user,
            "nameserver 127.0.0.11\nsearch example.org\noptions ndots:0\n"
        );
        let def = resolv_conf(host, false, &[]);
        assert_eq!(def, "search example.org\nnameserver 10.0.0.1\n");
        let dns = resolv_conf(host, false, &["9.9.9.9".into()]);
        assert!(dns.ends_with("nameserver 9.9.9.9\n"));
        assert_eq!(
            resolv_conf("nameserver 127.0.0.53\n", false, &[])
                .lines()
                .count(),
            2
        );
        assert_eq!(upstreams(host, &[]).len(), 2);
        assert_eq!(
            upstreams(host, &["1.1.1.1".into()]),
            vec!["1.1.1.1:53".parse().expect("addr")]
        );
    }
}
