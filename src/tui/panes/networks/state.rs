//! The Networks pane's state: the networks with their endpoints, live rx/tx per endpoint
//! (rates from two successive samples of the containers' interface counters), and the DNS
//! query log of each user network. A background watcher (`netwatch`) takes the samples.

use crate::engine::DnsLogEntry;
use crate::engine::Engine;
use crate::engine::IfBytes;
use crate::engine::{Container, ContainerId, NetworkId};
use crate::engine::{Endpoint, Network, attachments};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// How many DNS log entries are read per network.
pub const DNS_ROWS: usize = 200;

/// Rates are measured over at least this long (a sample taken right after another, on a
/// refresh, keeps the rates of the last full interval).
const MIN_RATE_SECS: f64 = 0.5;

/// One round of what the pane shows, read by the watcher.
pub use crate::engine::NetworksSnapshot as NetworksSample;

/// Reads one sample: the networks, the counters of every running container attached to
/// one, and the DNS logs of the user networks.
pub fn sample(engine: &Engine) -> Result<NetworksSample, String> {
    engine
        .networks_snapshot(DNS_ROWS)
        .map_err(|e| e.to_string())
}

/// Counters by (container id, interface).
type Counters = BTreeMap<(ContainerId, String), IfBytes>;

/// Traffic of one endpoint: totals and, after two samples, rates.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EndpointIo {
    /// Bytes received so far.
    pub rx: u64,
    /// Bytes sent so far.
    pub tx: u64,
    /// Received bytes per second since the previous sample.
    pub rx_rate: Option<f64>,
    /// Sent bytes per second since the previous sample.
    pub tx_rate: Option<f64>,
}

/// One container on the selected network, as the topology shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRow {
    /// The container's id.
    pub container_id: ContainerId,
    /// Its name.
    pub name: String,
    /// `172.18.0.2/16`.
    pub address: String,
    /// Its aliases on this network.
    pub aliases: Vec<String>,
    /// The interface inside the container (`eth0`).
    pub ifname: String,
    /// Whether the container runs.
    pub running: bool,
    /// Published ports reaching it through this network, `0.0.0.0:8080 → 172.18.0.2:80/tcp`.
    pub ports: Vec<String>,
    /// Its traffic, when it runs.
    pub io: Option<EndpointIo>,
}

/// The Networks pane.
#[derive(Debug, Clone, Default)]
pub struct NetworksState {
    /// The networks, as last sampled.
    pub networks: Vec<Network>,
    /// Whether a sample has arrived.
    pub listed: bool,
    /// Why the last sample failed.
    pub error: Option<String>,
    /// Index of the selected network.
    pub selected: usize,
    /// The container whose networks the pane was opened for (its networks are marked).
    pub for_container: Option<String>,
    /// Traffic by (container id, interface).
    pub io: BTreeMap<(ContainerId, String), EndpointIo>,
    /// DNS logs by network id.
    pub dns: BTreeMap<NetworkId, Vec<DnsLogEntry>>,
    /// When the last sample was read.
    pub at: Option<DateTime<Utc>>,
    /// The counters rates are measured from, and when they were read.
    base: Option<(DateTime<Utc>, Counters)>,
    /// Whether the watcher runs.
    pub watching: bool,
    /// The `/` filter over the networks.
    pub filter: crate::tui::filter::ListFilter,
}

impl NetworksState {
    /// The selected network (none when the filter hides it).
    pub fn current(&self) -> Option<&Network> {
        self.networks.get(self.selected).filter(|n| self.shows(n))
    }

    /// What the filter looks at in a row: name, driver, subnet, gateway.
    pub fn texts(n: &Network) -> [String; 4] {
        [
            n.name.clone(),
            n.driver.clone(),
            n.subnet.clone().unwrap_or_default(),
            n.gateway.clone().unwrap_or_default(),
        ]
    }

    /// Whether the filter lets `n` through (always, without a filter; the row's
    /// texts are only built while filtering).
    pub fn shows(&self, n: &Network) -> bool {
        !self.filter.is_active() || self.filter.keeps(&Self::texts(n))
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.networks.len())
            .filter(|i| self.shows(&self.networks[*i]))
            .collect()
    }

    /// Takes a new sample: keeps the same network selected, and turns counters into rates.
    pub fn apply(&mut self, s: NetworksSample) {
        let keep = self.networks.get(self.selected).map(|n| n.id.clone());
        let secs = self
            .base
            .as_ref()
            .map(|(at, _)| (s.at - *at).num_milliseconds() as f64 / 1000.0);
        let fresh = secs.is_none_or(|d| d >= MIN_RATE_SECS);
        let mut io = BTreeMap::new();
        let mut totals = BTreeMap::new();
        for (cid, ifaces) in &s.counters {
            for (ifname, b) in ifaces {
                let key = (cid.clone(), ifname.clone());
                let prev = self.io.get(&key).copied().unwrap_or_default();
                let before = self.base.as_ref().and_then(|(_, m)| m.get(&key));
                let rate = |now: u64, then: Option<u64>, last: Option<f64>| {
                    if !fresh {
                        return last;
                    }
                    match (then, secs) {
                        (Some(t), Some(d)) if now >= t && d > 0.0 => Some((now - t) as f64 / d),
                        _ => None,
                    }
                };
                io.insert(
                    key.clone(),
                    EndpointIo {
                        rx: b.rx,
                        tx: b.tx,
                        rx_rate: rate(b.rx, before.map(|p| p.rx), prev.rx_rate),
                        tx_rate: rate(b.tx, before.map(|p| p.tx), prev.tx_rate),
                    },
                );
                totals.insert(key, *b);
            }
        }
        if fresh {
            self.base = Some((s.at, totals));
        }
        self.io = io;
        self.networks = s.networks;
        self.dns = s.dns;
        self.at = Some(s.at);
        self.listed = true;
        self.error = None;
        if let Some(i) = keep.and_then(|id| self.networks.iter().position(|n| n.id == id)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.networks.len().saturating_sub(1));
    }

    /// Selects the first network container `id` is on (eth0's), and marks its networks.
    pub fn select_container(&mut self, id: &str) {
        self.for_container = Some(id.to_string());
        if let Some((n, _)) = attachments(&self.networks, id).first()
            && let Some(i) = self.networks.iter().position(|x| x.id == n.id)
        {
            self.selected = i;
        }
    }

    /// The endpoints of `n`, by container name, with their ports and traffic.
    pub fn endpoint_rows(&self, n: &Network, containers: &[Container]) -> Vec<EndpointRow> {
        let mut rows: Vec<EndpointRow> = n
            .endpoints
            .iter()
            .map(|(cid, e)| {
                let c = containers.iter().find(|c| c.id() == cid);
                EndpointRow {
                    container_id: cid.clone(),
                    name: e.container_name.clone(),
                    address: n.cidr_of(e),
                    aliases: e.aliases.clone(),
                    ifname: e.ifname.clone(),
                    running: c.is_some_and(|c| c.state.status.has_shim()),
                    ports: c.map(|c| self.ports_via(n, e, c)).unwrap_or_default(),
                    io: self.io.get(&(cid.clone(), e.ifname.clone())).copied(),
                }
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        rows
    }

    /// The published ports of `c`: they reach its address on its first network only.
    fn ports_via(&self, n: &Network, e: &Endpoint, c: &Container) -> Vec<String> {
        let first = attachments(&self.networks, c.id());
        if first.first().map(|(f, _)| f.id.as_str()) != Some(n.id.as_str()) {
            return Vec::new();
        }
        c.config
            .net
            .ports
            .iter()
            .map(|p| {
                let host = if p.host_ip.is_empty() {
                    "0.0.0.0"
                } else {
                    &p.host_ip
                };
                format!(
                    "{host}:{} → {}:{}/{}",
                    p.host_port, e.ipv4, p.container_port, p.protocol
                )
            })
            .collect()
    }
}

/// Why the DNS log of `n` is empty or absent, for networks without the embedded server.
pub fn no_dns_reason(n: &Network) -> Option<String> {
    match (n.name.as_str(), n.driver.as_str()) {
        ("bridge", _) => Some(
            "names do not resolve on the default bridge network, as in Docker: its containers \
             use the host's resolvers (their resolv.conf) and reach each other by IP only; \
             create a network and connect them to it for DNS by name"
                .to_string(),
        ),
        (_, "host") => Some(
            "containers on 'host' share the host's network and its resolv.conf: berth's DNS \
             server does not run there"
                .to_string(),
        ),
        (_, "null") => Some("'none' has loopback only: no DNS".to_string()),
        _ => None,
    }
}
