//! The network operations of the engine: list, create, remove, prune (containers'
//! endpoints are recorded in `endpoints`; the live side of `network connect`/`disconnect`
//! is in `connect`).

use super::error::NetworkError;
use super::firewall;
use super::ipam::{self, Cidr};
use super::netlink;
use super::{Network, store};
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::{Engine, NetworkId, ids};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub use super::endpoints::{attach_for, release_container, rename_endpoints};

/// What `network create` asks for.
#[derive(Debug, Clone, Default)]
pub struct NetworkCreateOptions {
    /// The name.
    pub name: String,
    /// `--driver` (only `bridge` can be created).
    pub driver: Option<String>,
    /// `--subnet`.
    pub subnet: Option<String>,
    /// `--gateway`.
    pub gateway: Option<String>,
    /// `--ip-range`.
    pub ip_range: Option<String>,
    /// `--internal`.
    pub internal: bool,
    /// `--label`.
    pub labels: BTreeMap<String, String>,
    /// `--opt`/`-o` driver options (`com.docker.network.driver.mtu`, `mtu`).
    pub options: BTreeMap<String, String>,
}

fn invalid(s: String) -> EngineError {
    EngineError::Invalid(s)
}

/// The Linux bridge name of a user network.
fn bridge_name(id: &NetworkId) -> String {
    format!("br-{}", id.short())
}

impl Engine {
    /// Every record, the built-in ones written first if missing; the default network
    /// `bridge` is given the configured MTU (`network.mtu`) if its record has none.
    pub(super) fn builtin_networks(&self) -> Result<Vec<Network>> {
        let all = store::list(self.paths())?;
        if !all.iter().any(|n| n.name == "bridge" && n.mtu.is_none()) {
            return Ok(all);
        }
        let _l = store::lock(self.paths())?;
        let mut all = store::list_raw(self.paths());
        for n in all.iter_mut() {
            if n.name == "bridge" && n.mtu.is_none() {
                n.mtu = Some(self.options().network_mtu);
                store::save(self.paths(), n)?;
            }
        }
        Ok(all)
    }

    /// Every network, the built-in ones first made if missing.
    pub fn networks(&self) -> Result<Vec<Network>> {
        self.builtin_networks()
    }

    /// One network by name, id or unique id prefix.
    pub fn network(&self, key: &str) -> Result<Network> {
        store::find(&self.networks()?, key)
    }

    /// Creates a user bridge network and its Linux bridge.
    pub fn create_network(&self, o: &NetworkCreateOptions) -> Result<Network> {
        let driver = o.driver.clone().unwrap_or_else(|| "bridge".into());
        if driver != "bridge" {
            return Err(invalid(format!(
                "network driver '{driver}' cannot be used: only 'bridge' networks can be created"
            )));
        }
        if !ids::valid_name(&o.name) {
            return Err(invalid(format!(
                "invalid network name '{}': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
                o.name
            )));
        }
        let subnet = o
            .subnet
            .as_deref()
            .map(|s| Cidr::parse(s, "subnet"))
            .transpose()?;
        let range = o
            .ip_range
            .as_deref()
            .map(|s| Cidr::parse(s, "ip-range"))
            .transpose()?;
        let gateway: Option<Ipv4Addr> = o
            .gateway
            .as_deref()
            .map(|g| {
                g.parse()
                    .map_err(|_| invalid(format!("invalid gateway '{g}': use an IPv4 address")))
            })
            .transpose()?;
        let mtu = super::mtu::from_options(&o.options)?.unwrap_or(self.options().network_mtu);
        if subnet.is_none() && (gateway.is_some() || range.is_some()) {
            return Err(invalid(
                "--gateway and --ip-range need --subnet: give the subnet they belong to".into(),
            ));
        }
        self.builtin_networks()?; // the built-in networks exist before the lock is taken
        let _l = store::lock(self.paths())?;
        let all = store::list_raw(self.paths());
        if let Some(other) = all.iter().find(|n| n.name == o.name) {
            return Err(EngineError::Conflict(format!(
                "network with name '{}' already exists ({})",
                o.name,
                other.id.short()
            )));
        }
        let subnet = match subnet {
            Some(s) => {
                if let Some(n) = all.iter().find(|n| {
                    n.subnet
                        .as_deref()
                        .and_then(|x| Cidr::parse(x, "subnet").ok())
                        .is_some_and(|x| x.overlaps(&s))
                }) {
                    return Err(EngineError::Conflict(format!(
                        "subnet '{s}' overlaps network '{}' ({}): choose another subnet",
                        n.name,
                        n.subnet.as_deref().unwrap_or_default()
                    )));
                }
                s
            }
            None => ipam::next_free_subnet(
                // Neither berth's networks nor what the host routes to (Docker's bridges).
                &[store::used_subnets(&all), super::host_routes::in_use()].concat(),
            )
            .ok_or_else(|| {
                EngineError::Conflict(
                    "no free subnet left in 172.18.0.0-172.31.255.255: give one with --subnet"
                        .into(),
                )
            })?,
        };
        let gateway = gateway.unwrap_or_else(|| subnet.first_host());
        if !subnet.contains(gateway) || gateway == subnet.network() || gateway == subnet.broadcast()
        {
            return Err(invalid(format!(
                "invalid gateway '{gateway}': it is not a host address of subnet '{subnet}'"
            )));
        }
        if let Some(r) = &range
            && !(subnet.contains(r.network()) && subnet.contains(r.broadcast()))
        {
            return Err(invalid(format!(
                "invalid ip-range '{r}': it is not inside subnet '{subnet}'"
            )));
        }
        let id = NetworkId::random();
        let n = Network {
            bridge: bridge_name(&id),
            id,
            name: o.name.clone(),
            driver,
            created: chrono::Utc::now(),
            subnet: Some(subnet.to_string()),
            gateway: Some(gateway.to_string()),
            ip_range: range.map(|r| r.to_string()),
            internal: o.internal,
            labels: o.labels.clone(),
            endpoints: BTreeMap::new(),
            mtu: Some(mtu),
        };
        netlink::ensure_bridge(&n.bridge, gateway, subnet.prefix, n.mtu)
            .and_then(|()| {
                firewall::ensure(&firewall::rules_for(
                    &n.bridge,
                    gateway,
                    subnet.prefix,
                    n.internal,
                ))
            })
            .map_err(|source| {
                let _ = netlink::delete_link(&n.bridge);
                let _ = firewall::remove(&n.bridge);
                NetworkError::CreateFailed {
                    network: n.name.clone(),
                    source: Box::new(source),
                }
            })?;
        if let Err(e) = store::save(self.paths(), &n) {
            let _ = netlink::delete_link(&n.bridge);
            let _ = firewall::remove(&n.bridge);
            return Err(e);
        }
        let _ = firewall::reconcile();
        self.emit(EngineEvent::NetworkCreate {
            id: &n.id,
            name: &n.name,
        });
        Ok(n)
    }

    /// Warnings about the host's firewall for bridge network `key` (none for other
    /// networks or unknown names): the legacy iptables FORWARD chain dropping its traffic,
    /// which berth does not change (see `legacy_iptables`). Front ends print them.
    pub fn network_firewall_warnings(&self, key: &str) -> Vec<String> {
        if !super::legacy_iptables::filter_loaded() {
            return vec![];
        }
        let Ok(n) = self.network(key) else {
            return vec![];
        };
        if n.driver != "bridge" || n.bridge.is_empty() {
            return vec![];
        }
        super::legacy_iptables::forward_warning(&n.bridge)
            .into_iter()
            .collect()
    }

    /// Drops endpoints whose container no longer exists (a crash between steps).
    fn live_endpoints(&self, n: &Network) -> usize {
        n.endpoints
            .keys()
            .filter(|id| self.paths().container(id).exists())
            .count()
    }

    /// Removes a user network with no containers, and its bridge.
    pub fn remove_network(&self, key: &str) -> Result<Network> {
        self.builtin_networks()?;
        let _l = store::lock(self.paths())?;
        let n = store::find(&store::list_raw(self.paths()), key)?;
        if n.is_builtin() {
            return Err(EngineError::Conflict(format!(
                "'{}' is a pre-defined network and cannot be removed",
                n.name
            )));
        }
        let live = self.live_endpoints(&n);
        if live > 0 {
            return Err(EngineError::Conflict(format!(
                "network '{}' has {live} attached container(s): remove them or 'berth network disconnect' them first",
                n.name
            )));
        }
        if !n.bridge.is_empty() {
            firewall::remove(&n.bridge)
                .and_then(|()| netlink::delete_link(&n.bridge))
                .map_err(|source| NetworkError::RemoveFailed {
                    network: n.name.clone(),
                    source: Box::new(source),
                })?;
        }
        store::delete(self.paths(), &n.id)?;
        let _ = firewall::reconcile();
        super::dnslog::remove(self.paths(), &n.id);
        self.emit(EngineEvent::NetworkDestroy {
            id: &n.id,
            name: &n.name,
        });
        Ok(n)
    }

    /// Removes every user network without containers; returns their names.
    pub fn prune_networks(&self) -> Result<Vec<String>> {
        let mut gone = Vec::new();
        for n in self.networks()? {
            if !n.is_builtin() && self.live_endpoints(&n) == 0 {
                self.remove_network(&n.id)?;
                gone.push(n.name);
            }
        }
        Ok(gone)
    }
}
