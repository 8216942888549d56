//! Records for the Networks pane's tests: container configs, endpoints, network records
//! as `network create` writes them, and DNS log entries.

#![allow(dead_code)]

use berth::engine::{Container, ContainerConfig, ContainerState, Status};
use berth::engine::{DnsLogEntry, Outcome};
use berth::engine::{Endpoint, Network};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeMap;

/// The fixed time the records are made at.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

/// A container config named `name` with network mode `mode`.
pub fn config(n: u8, name: &str, mode: &str) -> ContainerConfig {
    ContainerConfig {
        id: format!("{n:02x}").repeat(32).parse().expect("container id"),
        name: name.into(),
        created: now() - Duration::minutes(n.into()),
        image: "busybox:latest".into(),
        cmd: vec!["httpd".into()],
        network_mode: mode.into(),
        stop_signal: "SIGTERM".into(),
        ..Default::default()
    }
}

/// A running container (pid 4242) of `config`.
pub fn running(config: ContainerConfig) -> Container {
    Container {
        config,
        state: ContainerState {
            status: Status::Running,
            pid: 4242,
            ..Default::default()
        },
    }
}

/// An endpoint record.
pub fn endpoint(name: &str, ip: &str, ifname: &str, aliases: &[&str]) -> Endpoint {
    Endpoint {
        container_name: name.into(),
        endpoint_id: "e".repeat(64),
        mac: "02:42:0a:50:00:02".into(),
        ipv4: ip.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ifname: ifname.into(),
    }
}

/// A network record as `network create` writes it.
pub fn network(n: u8, name: &str, driver: &str, subnet: Option<(&str, &str)>) -> Network {
    Network {
        id: format!("{n:02x}").repeat(32).parse().expect("network id"),
        name: name.into(),
        driver: driver.into(),
        created: now() - Duration::hours(n.into()),
        subnet: subnet.map(|(s, _)| s.to_string()),
        gateway: subnet.map(|(_, g)| g.to_string()),
        ip_range: None,
        internal: false,
        labels: BTreeMap::new(),
        bridge: if driver == "bridge" {
            format!("br-{n:02x}")
        } else {
            String::new()
        },
        endpoints: BTreeMap::new(),
        mtu: None,
    }
}

/// A query of `client` answered with `addrs` (none: NXDOMAIN), `at` seconds after `now`.
pub fn query(at: i64, client: &Container, name: &str, addrs: &[&str]) -> DnsLogEntry {
    DnsLogEntry {
        time: now() + Duration::seconds(at),
        container_id: client.id().to_string(),
        container_name: client.name().to_string(),
        name: name.into(),
        qtype: "A".into(),
        outcome: if addrs.is_empty() {
            Outcome::NxDomain
        } else {
            Outcome::Answered
        },
        addresses: addrs.iter().map(|a| a.to_string()).collect(),
    }
}
