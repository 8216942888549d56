//! The nftables building blocks of berth's rules: expressions (interface and address
//! matches, conntrack state, verdicts, masquerade) and the messages that make berth's
//! table, its base chains and their rules.

use super::firewall::TABLE;
use super::nft::Op;
use netlink_packet_core::{DefaultNla, NLM_F_APPEND, NLM_F_CREATE};
use netlink_packet_netfilter::nftables::{
    Bitwise, ChainAttribute, ChainMessage, Cmp, DataAttribute, ExpressionAttribute, Expressions,
    Hook, InetHookNumber, ListAttribute, Meta, MetaKey, NfTablesMessage, Operator, Payload,
    Register, RuleAttribute, RuleMessage, TableAttribute, TableMessage, Verdict, VerdictAttribute,
};
use std::net::Ipv4Addr;

pub(super) const NF_DROP: u32 = 0;
pub(super) const NF_ACCEPT: u32 = 1;
/// `NFT_PAYLOAD_NETWORK_HEADER`.
const NETWORK_HEADER: u32 = 1;
/// `NFTA_CT_DREG`, `NFTA_CT_KEY`, `NFT_CT_STATE`.
const CT_DREG: u16 = 1;
const CT_KEY: u16 = 2;
const CT_STATE: u32 = 0;
/// `NFT_REG_1`.
const REG1: u32 = 1;
/// `NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED)`.
const ESTABLISHED_RELATED: u32 = 2 | 4;

/// One nftables expression of a rule.
pub(super) type Expr = ListAttribute<ExpressionAttribute>;

/// An interface name as the kernel compares it: IFNAMSIZ bytes, zero-padded.
pub(super) fn ifname(name: &str) -> Vec<u8> {
    let mut v = name.as_bytes().to_vec();
    v.resize(16, 0);
    v
}

/// Loads the packet's `key` (an interface name, the protocol) into register 1.
pub(super) fn meta(key: MetaKey) -> Expr {
    Expressions::Meta(vec![
        Meta::Key(key),
        Meta::DestinationRegister(Register::Reg1),
    ])
    .into()
}

/// Compares register 1 with `data`.
pub(super) fn cmp(op: Operator, data: Vec<u8>) -> Expr {
    Expressions::Cmp(vec![
        Cmp::SourceRegister(Register::Reg1),
        Cmp::Op(op),
        Cmp::Data(DataAttribute::Value(data)),
    ])
    .into()
}

/// Ends the rule with verdict `code` (`NF_ACCEPT`, `NF_DROP`).
pub(super) fn verdict(code: u32) -> Expr {
    Expressions::Immediate(vec![
        netlink_packet_netfilter::nftables::Immediate::DestinationRegister(Register::Verdict),
        netlink_packet_netfilter::nftables::Immediate::Data(DataAttribute::Verdict(vec![
            VerdictAttribute::Code(Verdict::Other(code)),
        ])),
    ])
    .into()
}

/// Offsets of the source and destination addresses in the IPv4 header.
pub(super) const SADDR: u32 = 12;
pub(super) const DADDR: u32 = 16;

/// `ip saddr <net>/<prefix>`.
pub(super) fn saddr_in(net: Ipv4Addr, prefix: u8) -> Vec<Expr> {
    addr_in(SADDR, net, prefix)
}

/// `ip saddr|daddr <net>/<prefix>`, the address at `offset` ([`SADDR`] or [`DADDR`]).
pub(super) fn addr_in(offset: u32, net: Ipv4Addr, prefix: u8) -> Vec<Expr> {
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    vec![
        Expressions::Payload(vec![
            Payload::DestinationRegister(Register::Reg1),
            Payload::Base(NETWORK_HEADER),
            Payload::Offset(offset),
            Payload::Len(4),
        ])
        .into(),
        Expressions::Bitwise(vec![
            Bitwise::SourceRegister(Register::Reg1),
            Bitwise::DestinationRegister(Register::Reg1),
            Bitwise::Length(4),
            Bitwise::Mask(DataAttribute::Value(mask.to_be_bytes().to_vec())),
            Bitwise::Xor(DataAttribute::Value(vec![0; 4])),
        ])
        .into(),
        cmp(
            Operator::Equal,
            (u32::from(net) & mask).to_be_bytes().to_vec(),
        ),
    ]
}

/// `ct state established,related` (the state is a host-order u32).
pub(super) fn ct_established() -> Vec<Expr> {
    vec![
        Expressions::Other {
            expression_type: "ct".into(),
            attributes: vec![
                DefaultNla::new(CT_DREG, REG1.to_be_bytes().to_vec()),
                DefaultNla::new(CT_KEY, CT_STATE.to_be_bytes().to_vec()),
            ],
        }
        .into(),
        Expressions::Bitwise(vec![
            Bitwise::SourceRegister(Register::Reg1),
            Bitwise::DestinationRegister(Register::Reg1),
            Bitwise::Length(4),
            Bitwise::Mask(DataAttribute::Value(
                ESTABLISHED_RELATED.to_ne_bytes().to_vec(),
            )),
            Bitwise::Xor(DataAttribute::Value(vec![0; 4])),
        ])
        .into(),
        cmp(Operator::NotEqual, vec![0; 4]),
    ]
}

/// Source NAT to the outgoing interface's address.
pub(super) fn masquerade() -> Expr {
    ListAttribute::Element(vec![ExpressionAttribute::Name("masq".into())])
}

/// Makes berth's table if missing.
pub(super) fn table_msg() -> Op {
    Op {
        msg: NfTablesMessage::NewTable(TableMessage {
            attributes: vec![TableAttribute::Name(TABLE.into())],
        }),
        flags: NLM_F_CREATE,
    }
}

/// Makes base chain `name` of type `kind` on `hook` at `priority`, policy accept.
pub(super) fn base_chain(name: &str, kind: &str, hook: InetHookNumber, priority: i32) -> Op {
    Op {
        msg: NfTablesMessage::NewChain(ChainMessage {
            attributes: vec![
                ChainAttribute::Table(TABLE.into()),
                ChainAttribute::Name(name.into()),
                ChainAttribute::Hook(vec![
                    Hook::Number(hook.into()),
                    Hook::Priority(priority as u32),
                ]),
                ChainAttribute::Policy(NF_ACCEPT),
                ChainAttribute::Type(kind.into()),
            ],
        }),
        flags: NLM_F_CREATE,
    }
}

/// Deletes every rule of `chain` (a rule message with no handle).
pub(super) fn flush(chain: &str) -> Op {
    Op {
        msg: NfTablesMessage::DeleteRule(RuleMessage {
            attributes: vec![
                RuleAttribute::Table(TABLE.into()),
                RuleAttribute::Chain(chain.into()),
            ],
        }),
        flags: 0,
    }
}

/// Appends a rule of `exprs` to `chain`.
pub(super) fn rule(chain: &str, exprs: Vec<Expr>) -> Op {
    Op {
        msg: NfTablesMessage::NewRule(RuleMessage {
            attributes: vec![
                RuleAttribute::Table(TABLE.into()),
                RuleAttribute::Chain(chain.into()),
                RuleAttribute::Expressions(exprs),
            ],
        }),
        flags: NLM_F_CREATE | NLM_F_APPEND,
    }
}

/// Deletes `chain` (it must be empty: flush it in the same batch first).
pub(super) fn delete_chain(chain: &str) -> Op {
    Op {
        msg: NfTablesMessage::DeleteChain(ChainMessage {
            attributes: vec![
                ChainAttribute::Table(TABLE.into()),
                ChainAttribute::Name(chain.into()),
            ],
        }),
        flags: 0,
    }
}
