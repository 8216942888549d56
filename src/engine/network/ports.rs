//! Published ports: parsing `-p` and choosing host ports.

use super::error::NetworkError;
use crate::engine::container::PortBinding;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};

/// Parses Docker's `-p [ip:][host:]container[/proto]` (a missing host port is 0: any free
/// port); a range is not supported.
/// A free function, not an `Engine` method: it needs no state root, so a front end
/// checks the flag before it opens an engine.
pub fn parse(s: &str) -> Result<PortBinding, NetworkError> {
    let bad = |why: &str| NetworkError::InvalidPortMapping {
        value: s.to_string(),
        why: why.to_string(),
    };
    let (spec, proto) = match s.rsplit_once('/') {
        Some((a, p)) => (a, p.to_ascii_lowercase()),
        None => (s, "tcp".to_string()),
    };
    if proto != "tcp" && proto != "udp" {
        return Err(bad("the protocol must be tcp or udp"));
    }
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host, ctr) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [i, h, c] => (*i, *h, *c),
        _ => return Err(bad("use [ip:]host:container[/proto]")),
    };
    if !ip.is_empty() && ip.parse::<Ipv4Addr>().is_err() {
        return Err(bad("the host address must be an IPv4 address"));
    }
    let port = |p: &str| -> Result<u16, NetworkError> {
        p.parse::<u16>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad(&format!("'{p}' is not a port number (1-65535)")))
    };
    Ok(PortBinding {
        host_ip: ip.to_string(),
        host_port: if host.is_empty() { 0 } else { port(host)? },
        container_port: port(ctr)?,
        protocol: proto,
    })
}

fn host_addr(b: &PortBinding, port: u16) -> SocketAddr {
    let ip: Ipv4Addr = b.host_ip.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
    SocketAddr::from((ip, port))
}

/// Checks that every chosen host port is free now, and gives the ones left at 0 a free port.
pub fn assign(mut ports: Vec<PortBinding>) -> Result<Vec<PortBinding>, NetworkError> {
    for i in 0..ports.len() {
        let b = ports[i].clone();
        let taken_here = ports[..i]
            .iter()
            .any(|o| o.host_port == b.host_port && o.protocol == b.protocol && b.host_port != 0);
        let probe = |port: u16| -> std::io::Result<u16> {
            let a = host_addr(&b, port);
            if b.protocol == "udp" {
                UdpSocket::bind(a)?.local_addr().map(|l| l.port())
            } else {
                TcpListener::bind(a)?.local_addr().map(|l| l.port())
            }
        };
        match probe(b.host_port) {
            Ok(p) if !taken_here => ports[i].host_port = p,
            _ => {
                return Err(NetworkError::PortUnavailable {
                    address: host_addr(&b, b.host_port).to_string(),
                    protocol: b.protocol.clone(),
                    why: "port is already allocated".into(),
                });
            }
        }
    }
    Ok(ports)
}

/// Docker's `port` lines: `80/tcp -> 0.0.0.0:8080`. A free function, not an `Engine`
/// method: a pure function of the binding.
pub fn describe(b: &PortBinding) -> String {
    let ip = if b.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        &b.host_ip
    };
    format!(
        "{}/{} -> {ip}:{}",
        b.container_port, b.protocol, b.host_port
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_forms() {
        let b = parse("8080:80").expect("parse");
        assert_eq!(
            (b.host_port, b.container_port, b.protocol.as_str()),
            (8080, 80, "tcp")
        );
        let b = parse("127.0.0.1:5353:53/udp").expect("parse");
        assert_eq!(
            (b.host_ip.as_str(), b.protocol.as_str()),
            ("127.0.0.1", "udp")
        );
        assert_eq!(parse("80").expect("parse").host_port, 0);
        assert!(parse("80/sctp").is_err());
        assert!(parse("x:80").is_err());
        assert!(parse("1:2:3:4").is_err());
        assert!(parse("0:80").is_err());
        assert_eq!(
            describe(&parse("8080:80").expect("parse")),
            "80/tcp -> 0.0.0.0:8080"
        );
    }
}
