//! One look at the networks for the dashboard: the networks with their endpoints, the
//! interface counters of the containers attached to them, and the DNS query logs.

use crate::engine::error::Result;
use crate::engine::network::Network;
use crate::engine::network::counters::{self, IfBytes};
use crate::engine::network::dnslog::DnsLogEntry;
use crate::engine::{ContainerId, Engine, NetworkId};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The networks, their counters and DNS logs at one moment.
#[derive(Debug, Clone)]
pub struct NetworksSnapshot {
    /// Every network (the engine's order).
    pub networks: Vec<Network>,
    /// Interface counters of the running containers: container id -> interface -> bytes.
    pub counters: BTreeMap<ContainerId, BTreeMap<String, IfBytes>>,
    /// The last DNS queries of each user network, oldest first, by network id.
    pub dns: BTreeMap<NetworkId, Vec<DnsLogEntry>>,
    /// When it was read.
    pub at: DateTime<Utc>,
}

impl Engine {
    /// Reads the networks, the counters of every running container attached to one, and
    /// the last `dns_rows` DNS queries of each user network.
    pub fn networks_snapshot(&self, dns_rows: usize) -> Result<NetworksSnapshot> {
        let networks = self.networks()?;
        let containers = self.containers()?;
        let mut counters = BTreeMap::new();
        for c in containers.iter().filter(|c| c.state.status.has_shim()) {
            if networks.iter().any(|n| n.endpoints.contains_key(c.id())) {
                counters.insert(c.id().clone(), counters::interface_bytes(c.state.pid));
            }
        }
        let mut dns = BTreeMap::new();
        for n in networks.iter().filter(|n| n.is_user_bridge()) {
            // A network removed since the listing just has no log.
            if let Ok(log) = self.network_dns_log(&n.id, dns_rows) {
                dns.insert(n.id.clone(), log);
            }
        }
        Ok(NetworksSnapshot {
            networks,
            counters,
            dns,
            at: Utc::now(),
        })
    }
}
