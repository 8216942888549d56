//! Containers' endpoints in network records: the address and interface a container gets
//! on a network (`attach_record`), what the shim makes of it (`attach_for`), and the
//! records' side of a container's rename and removal.

use super::error::NetworkError;
use super::ipam::{self, Cidr};
use super::netlink::{self, Attach};
use super::{Endpoint, Network, store};
use crate::engine::error::{EngineError, Result};
use crate::engine::store::Paths;
use crate::engine::{ContainerId, Engine, ids};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

fn invalid(s: String) -> EngineError {
    EngineError::Invalid(s)
}

/// The interface attachment for a container's endpoint on network `n`.
pub fn attach_for(
    n: &Network,
    e: &Endpoint,
    container_id: &str,
) -> std::result::Result<Attach, NetworkError> {
    let bad = |why: String| NetworkError::BadRecord {
        network: n.name.clone(),
        why,
    };
    let ip: Ipv4Addr = e
        .ipv4
        .parse()
        .map_err(|_| bad(format!("bad address '{}'", e.ipv4)))?;
    let gateway: Ipv4Addr = n
        .gateway
        .as_deref()
        .and_then(|g| g.parse().ok())
        .ok_or_else(|| bad("it has no gateway".into()))?;
    let mac = netlink::parse_mac(&e.mac).unwrap_or([2, 0x42, 0, 0, 0, 0]);
    Ok(Attach {
        bridge: n.bridge.clone(),
        gateway,
        prefix: n.prefix(),
        ip,
        mac,
        ifname: e.ifname.clone(),
        host_veth: netlink::host_veth_name(container_id, &e.ifname),
        default_route: e.ifname == "eth0" && !n.internal,
        internal: n.internal,
        mtu: n.mtu,
    })
}

/// Removes container `id` from every network record (its addresses become free).
pub fn release_container(paths: &Paths, id: &str) {
    let Ok(_l) = store::lock(paths) else { return };
    for mut n in store::list_raw(paths) {
        if n.endpoints.remove(id).is_some() {
            let _ = store::save_endpoints(paths, &n);
        }
    }
}

/// Gives container `id`'s endpoints its new name, so the embedded DNS answers the new
/// name (and no longer the old one) from then on.
pub fn rename_endpoints(paths: &Paths, id: &str, name: &str) -> Result<()> {
    let _l = store::lock(paths)?;
    for mut n in store::list_raw(paths) {
        if let Some(e) = n.endpoints.get_mut(id) {
            e.container_name = name.to_string();
            store::save(paths, &n)?;
        }
    }
    Ok(())
}

impl Engine {
    /// Records container `id` (named `name`) on network `key` with an address (`ip` or
    /// the next free one) and `aliases`. Host and none record nothing (None).
    pub fn attach_record(
        &self,
        key: &str,
        id: &ContainerId,
        name: &str,
        aliases: &[String],
        ip: Option<&str>,
    ) -> Result<Option<(Network, Endpoint)>> {
        self.builtin_networks()?; // the built-in networks exist before the lock is taken
        let _l = store::lock(self.paths())?;
        let all = store::list_raw(self.paths());
        let mut n = store::find(&all, key)?;
        if n.driver != "bridge" {
            if !aliases.is_empty() || ip.is_some() {
                return Err(invalid(format!(
                    "network-scoped aliases and --ip are only supported on user-defined networks, not on '{}'",
                    n.name
                )));
            }
            return Ok(None);
        }
        if n.name == "bridge" && (!aliases.is_empty() || ip.is_some()) {
            return Err(invalid(
                "network-scoped aliases and --ip are only supported on user-defined networks: create one with 'berth network create'".into(),
            ));
        }
        if n.endpoints.contains_key(id) {
            return Err(EngineError::Conflict(format!(
                "container '{name}' is already connected to network '{}'",
                n.name
            )));
        }
        let subnet = Cidr::parse(n.subnet.as_deref().unwrap_or_default(), "subnet")?;
        let gateway: Ipv4Addr = n
            .gateway
            .as_deref()
            .and_then(|g| g.parse().ok())
            .unwrap_or_else(|| subnet.first_host());
        let taken: BTreeSet<Ipv4Addr> = n
            .endpoints
            .values()
            .filter_map(|e| e.ipv4.parse().ok())
            .collect();
        let addr = match ip {
            Some(s) => {
                let a: Ipv4Addr = s
                    .parse()
                    .map_err(|_| invalid(format!("invalid IP address '{s}'")))?;
                if !subnet.contains(a)
                    || a == gateway
                    || a == subnet.network()
                    || a == subnet.broadcast()
                {
                    return Err(invalid(format!(
                        "address '{a}' is not a free host address of network '{}' ({subnet})",
                        n.name
                    )));
                }
                if taken.contains(&a) {
                    return Err(EngineError::Conflict(format!(
                        "address '{a}' is already in use on network '{}'",
                        n.name
                    )));
                }
                a
            }
            None => {
                let range = n
                    .ip_range
                    .as_deref()
                    .and_then(|r| Cidr::parse(r, "ip-range").ok());
                ipam::allocate(&subnet, range.as_ref(), gateway, &taken).ok_or_else(|| {
                    EngineError::Conflict(format!("no free address left on network '{}'", n.name))
                })?
            }
        };
        let used: BTreeSet<String> = super::attachments(&all, id)
            .into_iter()
            .map(|(_, e)| e.ifname)
            .collect();
        let ifname = (0..)
            .map(|i| format!("eth{i}"))
            .find(|f| !used.contains(f))
            .unwrap_or_else(|| "eth0".into());
        let e = Endpoint {
            container_name: name.to_string(),
            endpoint_id: ids::random_id(),
            mac: ipam::mac_for(addr),
            ipv4: addr.to_string(),
            aliases: aliases.to_vec(),
            ifname,
        };
        n.endpoints.insert(id.clone(), e.clone());
        store::save_endpoints(self.paths(), &n)?;
        Ok(Some((n, e)))
    }
}
