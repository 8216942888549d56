//! `network inspect`'s document, in Docker's shape, and the network part of a container's.

use super::Network;
use serde_json::{Map, Value, json};

/// The inspect document of a network.
pub fn document(n: &Network) -> Value {
    let mut containers = Map::new();
    for (id, e) in &n.endpoints {
        containers.insert(
            id.to_string(),
            json!({
                "Name": e.container_name,
                "EndpointID": e.endpoint_id,
                "MacAddress": e.mac,
                "IPv4Address": n.cidr_of(e),
                "IPv6Address": "",
            }),
        );
    }
    let config: Vec<Value> = match &n.subnet {
        Some(s) => {
            let mut c = json!({"Subnet": s, "Gateway": n.gateway.clone().unwrap_or_default()});
            if let Some(r) = &n.ip_range {
                c["IPRange"] = json!(r);
            }
            vec![c]
        }
        None => Vec::new(),
    };
    let mut options = Map::new();
    if !n.bridge.is_empty() {
        options.insert("com.docker.network.bridge.name".into(), json!(n.bridge));
    }
    if let Some(m) = n.mtu {
        options.insert(super::mtu::OPTION.into(), json!(m.to_string()));
    }
    json!({
        "Name": n.name,
        "Id": n.id,
        "Created": crate::engine::container::inspect::rfc3339_nano(n.created),
        "Scope": "local",
        "Driver": n.driver,
        "EnableIPv6": false,
        "IPAM": {"Driver": "default", "Options": {}, "Config": config},
        "Internal": n.internal,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {"Network": ""},
        "ConfigOnly": false,
        "Containers": containers,
        "Options": options,
        "Labels": n.labels,
    })
}

impl crate::engine::Engine {
    /// `network inspect`'s document of network `key`. The `host` and `none` networks keep no
    /// endpoints in their records; their `Containers` are the containers run with
    /// `--network host` / `--network none` (as Docker lists them), without addresses.
    pub fn network_document(&self, key: &str) -> crate::engine::Result<Value> {
        let n = self.network(key)?;
        let mut doc = document(&n);
        if matches!(n.driver.as_str(), "host" | "null") {
            let mut members = Map::new();
            for c in self.containers()? {
                let mode = c.config.network_mode.as_str();
                let on = mode == n.name || (n.name == "none" && mode.is_empty());
                if !on {
                    continue;
                }
                // A stable endpoint id: the record has none to keep.
                let eid = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                    format!("{} {}", n.id, c.id()).as_bytes(),
                ));
                members.insert(
                    c.id().to_string(),
                    json!({
                        "Name": c.name(),
                        "EndpointID": eid,
                        "MacAddress": "",
                        "IPv4Address": "",
                        "IPv6Address": "",
                    }),
                );
            }
            doc["Containers"] = Value::Object(members);
        }
        Ok(doc)
    }
}

/// `NetworkSettings` of a container's inspect document: its networks, addresses and ports.
pub fn container_settings(
    c: &crate::engine::container::Container,
    paths: &crate::engine::store::Paths,
) -> Value {
    let all = super::store::list_raw(paths);
    let att = super::attachments(&all, c.id());
    let mut networks = Map::new();
    for (n, e) in &att {
        // `--link`s on a user network are that endpoint's (`NAME:ALIAS`), as in Docker.
        let links: Vec<String> = c.config.net.links.iter().map(|l| l.spec()).collect();
        let links = if n.name == c.config.network_mode && n.is_user_bridge() && !links.is_empty() {
            json!(links)
        } else {
            Value::Null
        };
        networks.insert(
            n.name.clone(),
            json!({
                "IPAMConfig": null,
                "Links": links,
                "Aliases": if e.aliases.is_empty() { Value::Null } else { json!(e.aliases) },
                "MacAddress": e.mac,
                "NetworkID": n.id,
                "EndpointID": e.endpoint_id,
                "Gateway": n.gateway.clone().unwrap_or_default(),
                "IPAddress": e.ipv4,
                "IPPrefixLen": n.prefix(),
                "IPv6Gateway": "",
                "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0,
            }),
        );
    }
    let mode = if c.config.network_mode.is_empty() {
        "none"
    } else {
        c.config.network_mode.as_str()
    };
    if att.is_empty() {
        networks.insert(
            mode.to_string(),
            json!({
                "IPAMConfig": null, "Links": null, "Aliases": null, "MacAddress": "",
                "NetworkID": all.iter().find(|n| n.name == mode).map(|n| n.id.clone()).unwrap_or_default(),
                "EndpointID": "", "Gateway": "", "IPAddress": "", "IPPrefixLen": 0,
                "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            }),
        );
    }
    // Keys sorted as Go sorts a map's: `"443/tcp"` before `"80/tcp"`; an exposed port
    // that is not published is `null` (on networks of berth's own, where ports mean
    // something).
    let mut sorted: std::collections::BTreeMap<String, Value> = Default::default();
    if c.config.on_berth_network() {
        for k in &c.config.net.exposed_ports {
            sorted.insert(k.clone(), Value::Null);
        }
    }
    for p in &c.config.net.ports {
        let key = format!("{}/{}", p.container_port, p.protocol);
        let ip = if p.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &p.host_ip
        };
        let entry = sorted.entry(key).or_insert(Value::Null);
        if entry.is_null() {
            *entry = json!([]);
        }
        if let Some(a) = entry.as_array_mut() {
            a.push(json!({"HostIp": ip, "HostPort": p.host_port.to_string()}));
        }
    }
    let ports: Map<String, Value> = sorted.into_iter().collect();
    let primary = att.first();
    let (ip, prefix, gw, mac) = match primary {
        Some((n, e)) if n.name == "bridge" => (
            e.ipv4.clone(),
            n.prefix(),
            n.gateway.clone().unwrap_or_default(),
            e.mac.clone(),
        ),
        _ => (String::new(), 0, String::new(), String::new()),
    };
    json!({
        "Bridge": "",
        "SandboxID": "",
        "SandboxKey": if c.state.pid > 0 { format!("/proc/{}/ns/net", c.state.pid) } else { String::new() },
        "Ports": ports,
        "Gateway": gw,
        "IPAddress": ip,
        "IPPrefixLen": prefix,
        "MacAddress": mac,
        "Networks": networks,
    })
}
