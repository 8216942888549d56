//! Network records on disk: `networks/<id>.json`, written atomically; every change is made
//! under `networks/.lock` so concurrent berth processes never lose an allocation. The
//! built-in networks `bridge`, `host` and `none` are written on first use.

use super::ipam::Cidr;
use super::{DEFAULT_BRIDGE, Network};
use crate::engine::NetworkId;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::{FileLock, Paths, read_json, write_json};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::PathBuf;

/// The directory of network records.
pub fn dir(paths: &Paths) -> PathBuf {
    paths.root.join("networks")
}

/// The record file of network `id`.
pub fn file(paths: &Paths, id: &str) -> PathBuf {
    dir(paths).join(format!("{id}.json"))
}

/// Takes the lock every network change holds.
pub fn lock(paths: &Paths) -> Result<FileLock> {
    let d = dir(paths);
    std::fs::create_dir_all(&d).at(&d)?;
    let p = d.join(".lock");
    FileLock::exclusive(&p).map_err(Into::into)
}

/// Writes one record atomically.
pub fn save(paths: &Paths, n: &Network) -> Result<()> {
    let p = file(paths, &n.id);
    write_json(&p, n).map_err(Into::into)
}

/// Writes one record whose endpoints changed (a container created, removed, connected or
/// disconnected): atomically but without fsync, as container records are written, since
/// this happens on every `run` and `rm` and an fsync costs more than the rest of the
/// network's start. A power cut may lose the latest change; endpoints of containers that
/// no longer exist are not counted anyway (see `live_endpoints`).
pub fn save_endpoints(paths: &Paths, n: &Network) -> Result<()> {
    let p = file(paths, &n.id);
    crate::engine::store::write_record(&p, n).map_err(Into::into)
}

/// Removes one record.
pub fn delete(paths: &Paths, id: &str) -> Result<()> {
    let p = file(paths, id);
    std::fs::remove_file(&p).at(&p)
}

/// Every record, without creating the built-in ones (for readers such as the shim).
pub fn list_raw(paths: &Paths) -> Vec<Network> {
    let mut out: Vec<Network> = std::fs::read_dir(dir(paths))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| read_json::<Network>(&e.path()).ok())
        .collect();
    out.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
    out
}

/// Docker's 172.17.0.0/16 for the default bridge, unless the host routes to it already
/// (Docker's own `docker0`, say): then, as Docker does, the next /16 it does not use.
fn default_bridge_subnet(host: &[Cidr]) -> Cidr {
    let docker = Cidr {
        addr: Ipv4Addr::new(172, 17, 0, 0),
        prefix: 16,
    };
    if !host.iter().any(|h| h.overlaps(&docker)) {
        return docker;
    }
    super::ipam::next_free_subnet(host).unwrap_or(docker)
}

fn builtin(name: &str, driver: &str) -> Network {
    let (subnet, gateway, bridge) = if name == "bridge" {
        let subnet = default_bridge_subnet(&super::host_routes::in_use());
        let gateway = Ipv4Addr::from(u32::from(subnet.addr) + 1);
        (
            Some(subnet.to_string()),
            Some(gateway.to_string()),
            DEFAULT_BRIDGE.to_string(),
        )
    } else {
        (None, None, String::new())
    };
    Network {
        id: NetworkId::random(),
        name: name.into(),
        driver: driver.into(),
        created: chrono::Utc::now(),
        subnet,
        gateway,
        ip_range: None,
        internal: false,
        labels: BTreeMap::new(),
        bridge,
        endpoints: BTreeMap::new(),
        mtu: None,
    }
}

/// Every record; writes the built-in networks first if they are missing. Holds the lock
/// only when something must be written.
pub fn list(paths: &Paths) -> Result<Vec<Network>> {
    let have = list_raw(paths);
    let missing = ["bridge", "host", "none"]
        .iter()
        .any(|n| !have.iter().any(|h| h.name == *n));
    if !missing {
        return Ok(have);
    }
    let _l = lock(paths)?;
    let have = list_raw(paths);
    for (name, driver) in [("bridge", "bridge"), ("host", "host"), ("none", "null")] {
        if !have.iter().any(|h| h.name == name) {
            save(paths, &builtin(name, driver))?;
        }
    }
    Ok(list_raw(paths))
}

/// Finds a network by exact name, full id or unique id prefix.
pub fn find(all: &[Network], key: &str) -> Result<Network> {
    if let Some(n) = all.iter().find(|n| n.name == key || n.id == key) {
        return Ok(n.clone());
    }
    let hits: Vec<&Network> = all
        .iter()
        .filter(|n| !key.is_empty() && n.id.starts_with(key))
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(EngineError::NoSuchNetwork(key.to_string())),
        _ => Err(EngineError::Ambiguous(key.to_string())),
    }
}

/// The subnets already in use by bridge networks.
pub fn used_subnets(all: &[Network]) -> Vec<Cidr> {
    all.iter()
        .filter_map(|n| n.subnet.as_deref())
        .filter_map(|s| Cidr::parse(s, "subnet").ok())
        .collect()
}
