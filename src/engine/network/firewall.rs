//! Outbound NAT and forwarding of bridge networks, in nftables through netlink (never by
//! running `nft` or `iptables`).
//!
//! What berth adds lives in a table of its own, `ip berth`; in other tables (the host's
//! firewall, Docker's) it only inserts and deletes its own tagged accept rules, where they
//! drop forwarded traffic (see `host_firewall`). Each bridge network has two base chains
//! there, named after its bridge, remade atomically (one batch) whenever its bridge is set
//! up and deleted with the network:
//!
//! - `post-<bridge>` (nat, postrouting): `ip saddr <subnet> oifname != <bridge> masquerade`
//!   — what Docker's `MASQUERADE` rule does; not for `--internal` networks.
//! - `fwd-<bridge>` (filter, forward, policy accept): a drop of what goes from the bridge
//!   to another of berth's bridges (`br-*`, `berth0`: networks are isolated), then
//!   `iifname <bridge> accept` and `oifname <bridge> ct state established,related
//!   accept`; on an `--internal` network instead a drop of whatever crosses between its
//!   bridge and another interface.
//!
//! - `guard-<bridge>` and a loopback masquerade in `post-<bridge>`: see `publish_nat`.
//!
//! Chains whose bridge is gone (a crash between steps) are removed by `reconcile`. An
//! accept here does not override a drop in another table's forward chain (nftables
//! evaluates every base chain): `ensure`, `remove` and `reconcile` also keep berth's
//! accept rules in the host firewall's dropping forward chains (`host_firewall`: Docker's
//! FORWARD DROP, ufw, firewalld); the legacy iptables backend only gets a warning
//! (`legacy_iptables`).

use super::error::{NetworkError, Result};
use super::nft;
pub(super) use super::nft_build::{
    DADDR, Expr, NF_ACCEPT, NF_DROP, SADDR, addr_in, base_chain, cmp, ct_established, delete_chain,
    flush, ifname, masquerade, meta, rule, saddr_in, table_msg, verdict,
};
use netlink_packet_netfilter::NetfilterProtoFamily;
use netlink_packet_netfilter::nftables::{InetHookNumber, MetaKey, Operator};
use std::net::Ipv4Addr;

/// berth's table (family `ip`).
pub const TABLE: &str = "berth";

/// berth's table is in the `ip` family.
pub(super) const FAMILY: NetfilterProtoFamily = NetfilterProtoFamily::IPv4;
/// The NAT chain's name of `bridge`.
fn nat_chain(bridge: &str) -> String {
    format!("post-{bridge}")
}

/// The forward chain's name of `bridge`.
fn fwd_chain(bridge: &str) -> String {
    format!("fwd-{bridge}")
}

/// The bridge a chain of berth's table belongs to.
fn bridge_of(chain: &str) -> Option<&str> {
    chain
        .strip_prefix("post-")
        .or_else(|| chain.strip_prefix("fwd-"))
        .or_else(|| chain.strip_prefix("guard-"))
}

/// What berth's table holds for one bridge network.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The network's bridge.
    pub bridge: String,
    /// The subnet's network address.
    pub net: Ipv4Addr,
    /// The subnet's prefix length.
    pub prefix: u8,
    /// `--internal`: no way out.
    pub internal: bool,
}

impl Rules {
    /// The rules of the NAT chain and of the forward chain, as expression lists.
    fn rules(&self) -> (Vec<Vec<Expr>>, Vec<Vec<Expr>>) {
        let br = ifname(&self.bridge);
        let on = |key| vec![meta(key), cmp(Operator::Equal, br.clone())];
        let off = |key| vec![meta(key), cmp(Operator::NotEqual, br.clone())];
        if self.internal {
            let out = [
                on(MetaKey::Iifname),
                off(MetaKey::Oifname),
                vec![verdict(NF_DROP)],
            ];
            let inn = [
                on(MetaKey::Oifname),
                off(MetaKey::Iifname),
                vec![verdict(NF_DROP)],
            ];
            return (vec![], vec![out.concat(), inn.concat()]);
        }
        let nat = [
            saddr_in(self.net, self.prefix),
            off(MetaKey::Oifname),
            vec![masquerade()],
        ]
        .concat();
        // Published ports reached on the host's loopback (see `publish_nat`).
        let nat = vec![nat, super::publish_nat::loopback_masquerade(&self.bridge)];
        // Networks are isolated from each other, as Docker's are: nothing goes from this
        // bridge to another of berth's (`br-*`, `berth0`), though forwarding is on.
        let to_bridge = |prefix: &[u8]| {
            [
                on(MetaKey::Iifname),
                off(MetaKey::Oifname),
                vec![
                    meta(MetaKey::Oifname),
                    cmp(Operator::Equal, prefix.to_vec()),
                ],
                vec![verdict(NF_DROP)],
            ]
            .concat()
        };
        let mut fwd = vec![to_bridge(b"br-")];
        if self.bridge != super::DEFAULT_BRIDGE {
            fwd.push(to_bridge(&ifname(super::DEFAULT_BRIDGE)));
        }
        fwd.push([on(MetaKey::Iifname), vec![verdict(NF_ACCEPT)]].concat());
        fwd.push(
            [
                on(MetaKey::Oifname),
                ct_established(),
                vec![verdict(NF_ACCEPT)],
            ]
            .concat(),
        );
        (nat, fwd)
    }
}

/// The rules of the network with bridge `bridge` whose gateway is `gateway/prefix`.
pub fn rules_for(bridge: &str, gateway: Ipv4Addr, prefix: u8, internal: bool) -> Rules {
    Rules {
        bridge: bridge.to_string(),
        net: gateway,
        prefix,
        internal,
    }
}

/// Makes (or remakes) the chains of one network in one atomic batch, and turns on IPv4
/// forwarding for a network with a way out.
pub fn ensure(r: &Rules) -> Result<()> {
    let (nat_rules, fwd_rules) = r.rules();
    let (nat, fwd) = (nat_chain(&r.bridge), fwd_chain(&r.bridge));
    // srcnat is priority 100, filter 0 (what `nft` calls them).
    let mut ops = vec![
        table_msg(),
        base_chain(&nat, "nat", InetHookNumber::PostRouting, 100),
        base_chain(&fwd, "filter", InetHookNumber::Forward, 0),
        flush(&nat),
        flush(&fwd),
    ];
    ops.extend(nat_rules.into_iter().map(|e| rule(&nat, e)));
    ops.extend(fwd_rules.into_iter().map(|e| rule(&fwd, e)));
    if !r.internal {
        ops.extend(super::publish_nat::guard_ops(&r.bridge));
    }
    nft::batch(FAMILY, ops)
        .map_err(|e| NetworkError::firewall(format!("firewall rules for '{}'", r.bridge), e))?;
    if !r.internal {
        // After the guard chain is in place.
        super::publish_nat::enable_route_localnet(&r.bridge)?;
        enable_forwarding()?;
    }
    super::host_firewall::ensure(&r.bridge)
}

/// Whether the chains `ensure` makes for `r` are all in berth's table and its sysctls set,
/// so a container start on an existing bridge need not remake them. A chain dump and two
/// small reads: no nftables commit (whose grace period costs milliseconds).
pub fn in_place(r: &Rules) -> bool {
    let Ok(chains) = nft::chains(FAMILY, TABLE) else {
        return false;
    };
    let mut want = vec![nat_chain(&r.bridge), fwd_chain(&r.bridge)];
    if !r.internal {
        want.push(super::publish_nat::guard_chain(&r.bridge));
    }
    let on = |p: &str| std::fs::read_to_string(p).is_ok_and(|s| s.trim() == "1");
    want.iter().all(|c| chains.contains(c))
        && (r.internal
            || (on(&format!(
                "/proc/sys/net/ipv4/conf/{}/route_localnet",
                r.bridge
            )) && on("/proc/sys/net/ipv4/ip_forward")))
}

/// Deletes the chains of `bridge`; missing ones are fine.
pub fn remove(bridge: &str) -> Result<()> {
    let guard = super::publish_nat::guard_chain(bridge);
    for chain in [nat_chain(bridge), fwd_chain(bridge), guard] {
        match nft::batch(FAMILY, vec![flush(&chain), delete_chain(&chain)]) {
            Ok(()) => {}
            Err(e) if e.errno() == libc::ENOENT => {}
            Err(e) => {
                return Err(NetworkError::firewall(
                    format!("remove firewall rules of '{bridge}'"),
                    e,
                ));
            }
        }
    }
    super::host_firewall::remove(bridge)
}

/// Deletes the chains of berth's table whose bridge is gone from the namespace (a crash
/// between the steps of a removal, a bridge deleted by hand). Chains of bridges that
/// exist stay, whichever state root made them: several roots may share a namespace.
pub fn reconcile() -> Result<()> {
    let mut stale: Vec<String> = nft::chains(FAMILY, TABLE)
        .map_err(|e| NetworkError::firewall(format!("list the chains of table '{TABLE}'"), e))?
        .iter()
        .filter_map(|c| bridge_of(c))
        .map(str::to_string)
        .collect();
    stale.sort();
    stale.dedup();
    for b in stale {
        if !super::netlink::link_exists(&b) {
            remove(&b)?;
        }
    }
    super::host_firewall::reconcile()
}

/// Turns on IPv4 forwarding (`/proc/sys/net/ipv4/ip_forward`, per network namespace: the
/// caller's).
pub fn enable_forwarding() -> Result<()> {
    const PATH: &str = "/proc/sys/net/ipv4/ip_forward";
    if std::fs::read_to_string(PATH).is_ok_and(|s| s.trim() == "1") {
        return Ok(());
    }
    std::fs::write(PATH, "1")
        .map_err(|e| NetworkError::io(format!("enable IPv4 forwarding ({PATH})"), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_names_map_back_to_their_bridge() {
        assert_eq!(
            bridge_of(&nat_chain("br-0123456789ab")),
            Some("br-0123456789ab")
        );
        assert_eq!(bridge_of(&fwd_chain("berth0")), Some("berth0"));
        assert_eq!(bridge_of("input"), None);
    }

    #[test]
    fn internal_networks_get_no_masquerade() {
        let mut r = Rules {
            bridge: "br-x".into(),
            net: Ipv4Addr::new(10, 1, 0, 0),
            prefix: 16,
            internal: false,
        };
        let (nat, fwd) = r.rules();
        assert_eq!(
            (nat.len(), fwd.len()),
            (2, 4),
            "masquerade of the subnet and of loopback (published ports)"
        );
        r.internal = true;
        let (nat, fwd) = r.rules();
        assert_eq!((nat.len(), fwd.len()), (0, 2));
    }
}
