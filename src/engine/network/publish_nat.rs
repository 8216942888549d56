//! Published ports reached from the host's loopback, in the kernel: a DNAT of
//! `127.0.0.1:<host port>` to `<container address>:<port>` for connections the host makes,
//! as Docker does with its userland proxy turned off. Such a connection then crosses the
//! bridge like any other instead of being copied through the shim's proxy (two TCP
//! connections and a third busy process per byte). The proxy still holds the port, and
//! still serves every other address and the cases the kernel path cannot (no nf_tables).
//!
//! In berth's table `ip berth`:
//! - `pub-<id12>` (nat, output, priority -100): per published port on 127.0.0.1 (or on
//!   every address), `ip daddr 127.0.0.1 meta l4proto tcp|udp th dport <host port> dnat to
//!   <container address>:<port>`; made when the shim starts, deleted when it ends.
//! - in `post-<bridge>`: `ip saddr 127.0.0.0/8 oifname <bridge> masquerade`, so the container
//!   answers the bridge's gateway rather than its own loopback;
//! - `guard-<bridge>` (filter, prerouting, priority -300): `iifname <bridge> ip daddr
//!   127.0.0.0/8 drop`. The bridge has `route_localnet` on (without it the kernel refuses
//!   to route 127.0.0.1 to it); this rule keeps containers from using that to reach the
//!   host's loopback services.

use super::error::NetworkError;
use super::firewall::{
    DADDR, Expr, FAMILY, NF_DROP, SADDR, addr_in, base_chain, cmp, delete_chain, flush, ifname,
    masquerade, meta, rule, table_msg, verdict,
};
use super::nft;
use crate::engine::container::PortBinding;
use netlink_packet_core::DefaultNla;
use netlink_packet_netfilter::nftables::{
    DataAttribute, Expressions, Immediate, InetHookNumber, MetaKey, Operator, Payload, Register,
};
use std::net::Ipv4Addr;

/// `NFT_PAYLOAD_TRANSPORT_HEADER`.
const TRANSPORT_HEADER: u32 = 2;
/// `NFTA_NAT_TYPE`, `NFTA_NAT_FAMILY`, `NFTA_NAT_REG_ADDR_MIN`, `NFTA_NAT_REG_PROTO_MIN`.
const NAT_TYPE: u16 = 1;
const NAT_FAMILY: u16 = 2;
const NAT_REG_ADDR_MIN: u16 = 3;
const NAT_REG_PROTO_MIN: u16 = 5;
/// `NFT_NAT_DNAT`, `NFPROTO_IPV4`, `NFT_REG_1`, `NFT_REG_2`.
const NFT_NAT_DNAT: u32 = 1;
const NFPROTO_IPV4: u32 = 2;
const REG1: u32 = 1;
const REG2: u32 = 2;
/// The loopback network.
const LOOPBACK: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 0);

/// The DNAT chain of container `id`.
fn chain(id: &str) -> String {
    format!("pub-{}", &id[..id.len().min(12)])
}

/// The guard chain of `bridge`.
pub(super) fn guard_chain(bridge: &str) -> String {
    format!("guard-{bridge}")
}

/// `ip saddr 127.0.0.0/8 oifname <bridge> masquerade` (for `post-<bridge>`).
pub(super) fn loopback_masquerade(bridge: &str) -> Vec<Expr> {
    [
        addr_in(SADDR, LOOPBACK, 8),
        vec![
            meta(MetaKey::Oifname),
            cmp(Operator::Equal, ifname(bridge)),
            masquerade(),
        ],
    ]
    .concat()
}

/// `iifname <bridge> ip daddr 127.0.0.0/8 drop` (for `guard-<bridge>`).
pub(super) fn loopback_guard(bridge: &str) -> Vec<Expr> {
    [
        vec![meta(MetaKey::Iifname), cmp(Operator::Equal, ifname(bridge))],
        addr_in(DADDR, LOOPBACK, 8),
        vec![verdict(NF_DROP)],
    ]
    .concat()
}

/// The guard chain's creation, flush and rule (added to the bridge's batch).
pub(super) fn guard_ops(bridge: &str) -> Vec<nft::Op> {
    let c = guard_chain(bridge);
    // raw is priority -300 (what `nft` calls it): before conntrack and NAT.
    vec![
        base_chain(&c, "filter", InetHookNumber::PreRouting, -300),
        flush(&c),
        rule(&c, loopback_guard(bridge)),
    ]
}

/// Lets the kernel route 127.0.0.0/8 to `bridge` (needed for the DNAT; the guard chain
/// drops such packets coming from the bridge).
pub(super) fn enable_route_localnet(bridge: &str) -> Result<(), NetworkError> {
    let path = format!("/proc/sys/net/ipv4/conf/{bridge}/route_localnet");
    std::fs::write(&path, "1").map_err(|e| NetworkError::io(format!("cannot set {path}"), e))
}

/// `ip daddr <host> meta l4proto <proto> th dport <port> dnat to <ip>:<ctr port>`.
fn dnat_rule(host: Ipv4Addr, p: &PortBinding, ip: Ipv4Addr) -> Option<Vec<Expr>> {
    let proto: u8 = match p.protocol.as_str() {
        "tcp" => libc::IPPROTO_TCP as u8,
        "udp" => libc::IPPROTO_UDP as u8,
        _ => return None,
    };
    let reg = |r: u32| r.to_be_bytes().to_vec();
    Some(
        [
            addr_in(DADDR, host, 32),
            vec![
                meta(MetaKey::L4Proto),
                cmp(Operator::Equal, vec![proto]),
                Expressions::Payload(vec![
                    Payload::DestinationRegister(Register::Reg1),
                    Payload::Base(TRANSPORT_HEADER),
                    Payload::Offset(2),
                    Payload::Len(2),
                ])
                .into(),
                cmp(Operator::Equal, p.host_port.to_be_bytes().to_vec()),
                Expressions::Immediate(vec![
                    Immediate::DestinationRegister(Register::Reg1),
                    Immediate::Data(DataAttribute::Value(ip.octets().to_vec())),
                ])
                .into(),
                Expressions::Immediate(vec![
                    Immediate::DestinationRegister(Register::Reg2),
                    Immediate::Data(DataAttribute::Value(
                        p.container_port.to_be_bytes().to_vec(),
                    )),
                ])
                .into(),
                Expressions::Other {
                    expression_type: "nat".into(),
                    attributes: vec![
                        DefaultNla::new(NAT_TYPE, reg(NFT_NAT_DNAT)),
                        DefaultNla::new(NAT_FAMILY, reg(NFPROTO_IPV4)),
                        DefaultNla::new(NAT_REG_ADDR_MIN, reg(REG1)),
                        DefaultNla::new(NAT_REG_PROTO_MIN, reg(REG2)),
                    ],
                }
                .into(),
            ],
        ]
        .concat(),
    )
}

/// The loopback address a binding is reached on from the host, if any: its own 127.x
/// address, or 127.0.0.1 for a binding on every address.
fn loopback_of(p: &PortBinding) -> Option<Ipv4Addr> {
    match p.host_ip.as_str() {
        "" | "0.0.0.0" => Some(Ipv4Addr::LOCALHOST),
        other => other.parse::<Ipv4Addr>().ok().filter(Ipv4Addr::is_loopback),
    }
}

/// Makes (or remakes) container `id`'s DNAT chain for `ports`, which reach it at `ip`.
/// Nothing is made when no binding is reachable on loopback.
pub fn publish(id: &str, ip: Ipv4Addr, ports: &[PortBinding]) -> Result<(), NetworkError> {
    let rules: Vec<Vec<Expr>> = ports
        .iter()
        .filter_map(|p| dnat_rule(loopback_of(p)?, p, ip))
        .collect();
    if rules.is_empty() {
        return Ok(());
    }
    let c = chain(id);
    // dstnat is priority -100.
    let mut ops = vec![
        table_msg(),
        base_chain(&c, "nat", InetHookNumber::LocalOut, -100),
        flush(&c),
    ];
    ops.extend(rules.into_iter().map(|r| rule(&c, r)));
    nft::batch(FAMILY, ops)
        .map_err(|e| NetworkError::firewall(format!("published ports of {}", chain(id)), e))
}

/// Deletes container `id`'s DNAT chain; a missing one is fine.
pub fn unpublish(id: &str) {
    let c = chain(id);
    let _ = nft::batch(FAMILY, vec![flush(&c), delete_chain(&c)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(host_ip: &str, protocol: &str) -> PortBinding {
        PortBinding {
            host_ip: host_ip.into(),
            host_port: 8080,
            container_port: 80,
            protocol: protocol.into(),
        }
    }

    #[test]
    fn only_bindings_reachable_on_loopback_get_a_dnat() {
        assert_eq!(loopback_of(&binding("", "tcp")), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(
            loopback_of(&binding("0.0.0.0", "tcp")),
            Some(Ipv4Addr::LOCALHOST)
        );
        assert_eq!(
            loopback_of(&binding("127.0.0.2", "tcp")),
            Some(Ipv4Addr::new(127, 0, 0, 2))
        );
        assert_eq!(loopback_of(&binding("192.168.1.5", "tcp")), None);
        let ip = Ipv4Addr::new(10, 0, 0, 2);
        assert!(dnat_rule(Ipv4Addr::LOCALHOST, &binding("", "udp"), ip).is_some());
        assert!(dnat_rule(Ipv4Addr::LOCALHOST, &binding("", "sctp"), ip).is_none());
    }

    #[test]
    fn chain_names_fit_and_are_per_container() {
        let id = "0123456789abcdef".repeat(4);
        assert_eq!(chain(&id), "pub-0123456789ab");
        assert_eq!(guard_chain("br-0123456789ab"), "guard-br-0123456789ab");
        // nftables limits chain names to 255 bytes; interface names are at most 15.
        assert!(guard_chain("br-0123456789ab").len() < 32);
    }
}
