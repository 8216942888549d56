//! Networks: the drivers `bridge` (a Linux bridge per network, veth pairs to containers),
//! `host` (the host's namespace) and `null` (the network `none`: loopback only); IPAM,
//! published ports, the embedded DNS server and the generated /etc files.
//!
//! Where the work happens: records and allocations are made by the engine (`create`,
//! `network connect`); interfaces are made by netlink from whoever starts the container's
//! process: the shim, after cloning it and before letting it go on, through a short-lived
//! helper thread (see `netlink`), so the shim's own thread never runs an async runtime and
//! it stays single-threaded when it clones again on a restart. A container's namespace is
//! new on every start, so its interfaces are made again each time; they die with it, and
//! the host ends of veth pairs go with them. The DNS server and port proxies live in the
//! shim's poll loop (`service`).
//!
//! Outbound NAT: a masquerade rule per bridge network in berth's own nftables table, made
//! through netlink (`firewall`, `nft`), with IPv4 forwarding turned on; `--internal`
//! networks get drop rules instead. Where the host's own firewall drops forwarded traffic,
//! tagged accept rules for berth's bridges go into its chains (`host_firewall`); the legacy
//! iptables backend gets a warning instead (`legacy_iptables`). The embedded DNS server answers over UDP and TCP
//! (`dns_tcp`) on 127.0.0.11:53.

pub mod connect;
pub mod counters;
pub mod dns;
pub mod dns_forward_tcp;
pub mod dns_tcp;
pub mod dnslog;
pub mod endpoints;
pub mod error;
pub mod exposed;
pub mod firewall;
pub mod host_firewall;
pub mod host_routes;
pub mod hosts;
pub mod inspect;
pub mod ipam;
pub mod legacy_iptables;
pub mod links;
pub mod membership;
pub mod mtu;
pub mod netcache;
pub mod netlink;
pub mod nft;
pub mod nft_build;
pub mod ops;
pub mod ports;
pub mod proxy;
pub mod publish_nat;
pub mod service;
pub mod setup;
pub mod store;

pub use error::NetworkError;

use crate::engine::{ContainerId, NetworkId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The Linux bridge of the default network `bridge`.
pub const DEFAULT_BRIDGE: &str = "berth0";

/// A network record (`networks/<id>.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Network {
    /// 64-hex id.
    pub id: NetworkId,
    /// Unique name.
    pub name: String,
    /// `bridge`, `host` or `null`.
    pub driver: String,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// IPv4 subnet in CIDR form (bridge networks).
    pub subnet: Option<String>,
    /// The gateway (the bridge's address).
    pub gateway: Option<String>,
    /// Where container addresses come from (`--ip-range`), inside the subnet.
    #[serde(default)]
    pub ip_range: Option<String>,
    /// No default route out (`--internal`).
    #[serde(default)]
    pub internal: bool,
    /// `--label`.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The Linux bridge's name (bridge networks).
    #[serde(default)]
    pub bridge: String,
    /// Attached containers by container id.
    #[serde(default)]
    pub endpoints: BTreeMap<ContainerId, Endpoint>,
    /// The MTU of the bridge and of every veth on it (bridge networks); None in records
    /// made before berth set MTUs: their links keep the kernel's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
}

/// A container's attachment to a network.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Endpoint {
    /// The container's name.
    pub container_name: String,
    /// 64-hex endpoint id.
    pub endpoint_id: String,
    /// MAC address (`02:42:...`).
    pub mac: String,
    /// IPv4 address (without prefix).
    pub ipv4: String,
    /// `--network-alias` / `network connect --alias`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Interface name inside the container (`eth0`, `eth1`, ...).
    pub ifname: String,
}

impl Network {
    /// The built-in networks cannot be removed.
    pub fn is_builtin(&self) -> bool {
        matches!(self.name.as_str(), "bridge" | "host" | "none")
    }
    /// A bridge network that is not the default one: names resolve on it.
    pub fn is_user_bridge(&self) -> bool {
        self.driver == "bridge" && self.name != "bridge"
    }
    /// The subnet's prefix length (0 when none).
    pub fn prefix(&self) -> u8 {
        self.subnet
            .as_deref()
            .and_then(|s| ipam::Cidr::parse(s, "subnet").ok())
            .map(|c| c.prefix)
            .unwrap_or(0)
    }
    /// `172.18.0.2/16` for an endpoint of this network.
    pub fn cidr_of(&self, e: &Endpoint) -> String {
        format!("{}/{}", e.ipv4, self.prefix())
    }
}

/// Whether a network mode names a user network (not `bridge`, `host`, `none` or the
/// empty mode of old records).
pub fn is_user_network(mode: &str) -> bool {
    !matches!(mode, "bridge" | "host" | "none" | "")
}

/// The networks container `id` is attached to, each with its endpoint, eth0 first. A free
/// function, not an `Engine` method: a pure function of networks already read.
pub fn attachments(all: &[Network], id: &str) -> Vec<(Network, Endpoint)> {
    let mut v: Vec<(Network, Endpoint)> = all
        .iter()
        .filter_map(|n| n.endpoints.get(id).map(|e| (n.clone(), e.clone())))
        .collect();
    v.sort_by_key(|(_, e)| {
        e.ifname
            .trim_start_matches("eth")
            .parse::<u32>()
            .unwrap_or(u32::MAX)
    });
    v
}
