//! Giving a freshly cloned container its network: called by the shim between clone and
//! go-ahead, on every start.

use super::dns_tcp::DnsSockets;
use super::error::NetworkError;
use super::{attachments, netlink, ops, store};
use crate::engine::container::ContainerConfig;
use crate::engine::store::Paths;

/// Creates the container `pid`'s interfaces from its network records; on a user network
/// also returns the embedded DNS server's sockets, bound inside its namespace. Nothing to do
/// (and no thread started) for `none` and `host`.
pub fn container(
    paths: &Paths,
    config: &ContainerConfig,
    pid: i32,
) -> Result<Option<DnsSockets>, NetworkError> {
    if !config.on_berth_network() {
        return Ok(None);
    }
    let all = store::list_raw(paths);
    let att = attachments(&all, &config.id);
    if att.is_empty() {
        return Ok(None);
    }
    let dns = att.iter().any(|(n, _)| n.is_user_bridge());
    let list = att
        .iter()
        .map(|(n, e)| ops::attach_for(n, e, &config.id))
        .collect::<Result<Vec<_>, NetworkError>>()?;
    netlink::setup_container(pid, list, dns)
}

/// Deletes the host ends of a container's veth pairs (after its shim died; normally they
/// vanish with the container's namespace).
pub fn remove_leftovers(paths: &Paths, id: &str) {
    for (_, e) in attachments(&store::list_raw(paths), id) {
        let _ = netlink::delete_link(&netlink::host_veth_name(id, &e.ifname));
    }
}
