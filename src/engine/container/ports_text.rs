//! The PORTS column of `ps`, as Docker's `DisplayablePorts` writes it: exposed ports that
//! are not published grouped into ranges (`80/tcp`, `8000-8002/tcp`), then each published
//! one (`0.0.0.0:8080->80/tcp`).

use super::ContainerConfig;
use std::collections::HashMap;

/// One port of a container: published when `ip` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Port {
    ip: String,
    private: u16,
    public: u16,
    proto: String,
}

impl ContainerConfig {
    /// The PORTS column of `ps` and the dashboard: its exposed ports (on networks of
    /// berth's own only: elsewhere ports mean nothing) and its published ones.
    pub fn ports_text(&self) -> String {
        ports_column(self)
    }
}

fn ports_column(cfg: &ContainerConfig) -> String {
    let mut ports: Vec<Port> = cfg
        .net
        .ports
        .iter()
        .map(|p| Port {
            ip: if p.host_ip.is_empty() {
                "0.0.0.0".into()
            } else {
                p.host_ip.clone()
            },
            private: p.container_port,
            public: p.host_port,
            proto: p.protocol.clone(),
        })
        .collect();
    if cfg.on_berth_network() {
        for k in &cfg.net.exposed_ports {
            let Some((port, proto)) = crate::engine::network::exposed::parse_key(k) else {
                continue;
            };
            if !ports.iter().any(|p| p.private == port && p.proto == proto) {
                ports.push(Port {
                    ip: String::new(),
                    private: port,
                    public: 0,
                    proto,
                });
            }
        }
    }
    displayable(ports)
}

/// Docker's `DisplayablePorts`.
fn displayable(mut ports: Vec<Port>) -> String {
    ports.sort_by(|a, b| {
        (a.private, &a.ip, a.public, &a.proto).cmp(&(b.private, &b.ip, b.public, &b.proto))
    });
    let mut groups: HashMap<String, (u16, u16)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut result: Vec<String> = Vec::new();
    let mut mappings: Vec<String> = Vec::new();
    for p in &ports {
        let mut key = p.proto.clone();
        if !p.ip.is_empty() {
            if p.public != p.private {
                mappings.push(format!("{}:{}->{}/{}", p.ip, p.public, p.private, p.proto));
                continue;
            }
            key = format!("{}/{}", p.ip, p.proto);
        }
        match groups.get_mut(&key) {
            None => {
                groups.insert(key.clone(), (p.private, p.private));
                order.push(key);
            }
            Some(g) if p.private == g.1.wrapping_add(1) => g.1 = p.private,
            Some(g) => {
                result.push(form_group(&key, g.0, g.1));
                *g = (p.private, p.private);
            }
        }
    }
    for key in &order {
        let (first, last) = groups[key];
        result.push(form_group(key, first, last));
    }
    result.extend(mappings);
    result.join(", ")
}

fn form_group(key: &str, first: u16, last: u16) -> String {
    let (ip, proto) = match key.rsplit_once('/') {
        Some((ip, proto)) => (ip, proto),
        None => ("", key),
    };
    let mut group = first.to_string();
    if first != last {
        group = format!("{group}-{last}");
    }
    if !ip.is_empty() {
        group = format!("{ip}:{group}->{group}");
    }
    format!("{group}/{proto}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(ip: &str, private: u16, public: u16) -> Port {
        Port {
            ip: ip.into(),
            private,
            public,
            proto: "tcp".into(),
        }
    }

    #[test]
    fn exposed_then_published() {
        let s = displayable(vec![port("0.0.0.0", 80, 8080), port("", 443, 0)]);
        assert_eq!(s, "443/tcp, 0.0.0.0:8080->80/tcp");
    }

    #[test]
    fn consecutive_ports_form_a_range() {
        let s = displayable(vec![
            port("", 8001, 0),
            port("", 8000, 0),
            port("", 9000, 0),
        ]);
        assert_eq!(s, "8000-8001/tcp, 9000/tcp");
        let same = displayable(vec![port("0.0.0.0", 80, 80)]);
        assert_eq!(same, "0.0.0.0:80->80/tcp");
        assert_eq!(displayable(Vec::new()), "");
    }
}
