//! Accept rules for berth's bridges in the host's own firewall, where it drops forwarded
//! traffic (through netlink, never by running `nft` or `iptables`).
//!
//! nftables runs every base chain on the forward hook, and a drop in any of them is final:
//! an accept in berth's own table does not help when Docker has set `iptables -P FORWARD
//! DROP` (table `ip filter`, with `br_netfilter` loaded even bridged traffic goes through
//! it), under ufw (same chain, policy drop) or under firewalld (`inet firewalld`, chain
//! `filter_FORWARD`, which ends in a reject). So in every forward base chain of another
//! table (families `ip` and `inet`) whose policy is drop or whose last rule is an
//! unconditional drop or reject, berth inserts, for each of its bridges:
//!
//! - `iifname <bridge> counter accept`
//! - `oifname <bridge> ct state established,related counter accept`
//!
//! at the top of the chain, or right after the jump to Docker's `DOCKER-USER` where there
//! is one (the user's rules there then apply to berth's bridges as to Docker's). In an
//! `ip` table (iptables-nft's: Docker's, ufw's) the state match is x_tables' `conntrack`
//! through nft_compat, as `iptables -I ... -m conntrack --ctstate` writes it, because
//! iptables-nft refuses to list a chain holding nftables' own `ct` expression
//! ("incompatible, use 'nft' tool"); elsewhere, or when the kernel lacks that match, it is
//! nftables' `ct state`.
//!
//! Each carries the comment `berth:<bridge>` (rule user data, shown by `nft` and by
//! `iptables-nft -L`), which is how berth finds its own and only its own: they are deleted
//! by handle with the network (and, for bridges that are gone, by `reconcile`); no other
//! rule is flushed, moved or changed. Checking is a dump of the chains (and of the rules of
//! the forward chains of other tables); rules are inserted only when missing, so a start
//! that finds them in place sends no batch. When the other firewall reloads and loses
//! them, the next container start on the bridge or the next `network create` puts them
//! back.
//!
//! Limits: firewalld learns nothing (berth has no D-Bus: its bridges are put in no zone,
//! and `firewall-cmd --reload` drops the rules until the next start); a chain that drops
//! only through a jump (its policy accept, its last rule not a drop) is not seen as
//! dropping; the legacy iptables backend (x_tables) is not changed: see
//! `legacy_iptables` for the warning.

mod listing;

use super::error::{NetworkError, Result};
use super::firewall::{Expr, cmp, ct_established, ifname, meta, verdict};
use super::nft::{self, Op};
use listing::*;
use netlink_packet_core::{DefaultNla, NLM_F_APPEND, NLM_F_CREATE};
use netlink_packet_netfilter::nftables::{
    Expressions, MetaKey, NfTablesMessage, Operator, RuleAttribute, RuleMessage,
};

/// `-m conntrack --ctstate RELATED,ESTABLISHED` as iptables-nft writes it: the x_tables
/// match `conntrack` revision 3 through nft_compat (its `struct xt_conntrack_mtinfo3`:
/// eight addresses, expiry, ports, then `match_flags` at 146 and `state_mask` at 150, host
/// order), since iptables-nft cannot list a chain holding nftables' own `ct` expression.
fn conntrack_match() -> Expr {
    /// `NFTA_MATCH_NAME`, `_REV`, `_INFO`.
    const MATCH_NAME: u16 = 1;
    const MATCH_REV: u16 = 2;
    const MATCH_INFO: u16 = 3;
    /// `XT_CONNTRACK_STATE`; `XT_CONNTRACK_STATE_BIT` of established (0) and related (1).
    const XT_CONNTRACK_STATE: u16 = 1;
    const STATE_MASK: u16 = (1 << 1) | (1 << 2);
    // sizeof(struct xt_conntrack_mtinfo3) is 164, XT_ALIGNed to 168.
    let mut info = vec![0u8; 168];
    info[146..148].copy_from_slice(&XT_CONNTRACK_STATE.to_ne_bytes());
    info[150..152].copy_from_slice(&STATE_MASK.to_ne_bytes());
    Expressions::Other {
        expression_type: "match".into(),
        attributes: vec![
            DefaultNla::new(MATCH_NAME, b"conntrack\0".to_vec()),
            DefaultNla::new(MATCH_REV, 3u32.to_be_bytes().to_vec()),
            DefaultNla::new(MATCH_INFO, info),
        ],
    }
    .into()
}

/// The two accept rules of `bridge`, as expression lists, the second with the x_tables
/// conntrack match (`xt`: what iptables-nft can list) or with nftables' `ct state`.
fn accepts(bridge: &str, xt: bool) -> [Vec<Expr>; 2] {
    let established = if xt {
        vec![conntrack_match()]
    } else {
        ct_established()
    };
    let name = ifname(bridge);
    let counter = || -> Expr {
        Expressions::Other {
            expression_type: "counter".into(),
            attributes: vec![],
        }
        .into()
    };
    [
        vec![
            meta(MetaKey::Iifname),
            cmp(Operator::Equal, name.clone()),
            counter(),
            verdict(NF_ACCEPT),
        ],
        [
            vec![meta(MetaKey::Oifname), cmp(Operator::Equal, name)],
            established,
            vec![counter(), verdict(NF_ACCEPT)],
        ]
        .concat(),
    ]
}

/// Inserts `exprs`, tagged for `bridge`, into chain `c`: right after the rule with
/// handle `after`, or at the top.
fn insert(c: &Chain, bridge: &str, exprs: Vec<Expr>, after: Option<u64>) -> Op {
    let mut attributes = vec![
        RuleAttribute::Table(c.table.clone()),
        RuleAttribute::Chain(c.name.clone()),
        RuleAttribute::Expressions(exprs),
        RuleAttribute::UserData(comment_udata(&tag(bridge))),
    ];
    let flags = match after {
        Some(h) => {
            attributes.push(RuleAttribute::Position(h));
            NLM_F_CREATE | NLM_F_APPEND
        }
        // No NLM_F_APPEND and no position: at the head of the chain.
        None => NLM_F_CREATE,
    };
    Op {
        msg: NfTablesMessage::NewRule(RuleMessage { attributes }),
        flags,
    }
}

fn delete(c: &Chain, handle: u64) -> Op {
    Op {
        msg: NfTablesMessage::DeleteRule(RuleMessage {
            attributes: vec![
                RuleAttribute::Table(c.table.clone()),
                RuleAttribute::Chain(c.name.clone()),
                RuleAttribute::Handle(handle),
            ],
        }),
        flags: 0,
    }
}

/// Sends `ops` on chain `c`; a chain or rule gone meanwhile (the other firewall
/// reloading) is not an error.
fn send(c: &Chain, ops: Vec<Op>) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    match nft::batch(c.family.into(), ops) {
        Ok(()) => Ok(()),
        Err(e) if e.errno() == libc::ENOENT => Ok(()),
        Err(e) => Err(NetworkError::firewall(
            format!("accept rules in {} {}", c.table, c.name),
            e,
        )),
    }
}

/// The batch that (re)makes `bridge`'s rules in chain `c`: deletes `stale` (berth's rules
/// there already) and inserts both, after the jump to `DOCKER-USER` if there is one.
fn remake(c: &Chain, rules: &[Rule], bridge: &str, stale: &[u64], xt: bool) -> Vec<Op> {
    let after = rules
        .iter()
        .find(|r| r.jumps_to().as_deref() == Some(DOCKER_USER))
        .map(|r| r.handle);
    let mut ops: Vec<Op> = stale.iter().map(|&h| delete(c, h)).collect();
    let [incoming, replies] = accepts(bridge, xt);
    // Each goes to the same place, so the second inserted ends up first.
    ops.push(insert(c, bridge, replies, after));
    ops.push(insert(c, bridge, incoming, after));
    ops
}

/// Makes sure every dropping forward chain of another table accepts `bridge`'s traffic:
/// inserts berth's two rules where they are missing (one batch per chain), does nothing
/// where they are in place.
pub fn ensure(bridge: &str) -> Result<()> {
    let want = tag(bridge);
    for c in forward_chains()? {
        let rules = rules(&c)?;
        if !dropping(&c, &rules) {
            continue;
        }
        let mine: Vec<u64> = rules
            .iter()
            .filter(|r| r.comment.as_deref() == Some(want.as_str()))
            .map(|r| r.handle)
            .collect();
        if mine.len() == 2 {
            continue;
        }
        // Half there (a rule deleted by hand): remake both. In an `ip` table (iptables-nft's:
        // Docker's, ufw's) the conntrack match iptables-nft can list, unless the kernel
        // lacks x_tables' conntrack match; elsewhere nftables' own `ct state`.
        if c.family == NFPROTO_IPV4
            && nft::batch(c.family.into(), remake(&c, &rules, bridge, &mine, true)).is_ok()
        {
            continue;
        }
        send(&c, remake(&c, &rules, bridge, &mine, false))?;
    }
    Ok(())
}

/// Deletes berth's rules, in every forward chain of another table, whose bridge `gone`
/// says is to go.
fn remove_where(gone: impl Fn(&str) -> bool) -> Result<()> {
    for c in forward_chains()? {
        let ops: Vec<Op> = rules(&c)?
            .iter()
            .filter(|r| {
                r.comment
                    .as_deref()
                    .and_then(|t| t.strip_prefix(TAG))
                    .is_some_and(&gone)
            })
            .map(|r| delete(&c, r.handle))
            .collect();
        send(&c, ops)?;
    }
    Ok(())
}

/// Deletes berth's rules for `bridge` from the other tables.
pub fn remove(bridge: &str) -> Result<()> {
    remove_where(|b| b == bridge)
}

/// Deletes berth's rules whose bridge no longer exists (a crash between the steps of a
/// removal, a bridge deleted by hand).
pub fn reconcile() -> Result<()> {
    remove_where(|b| !super::netlink::link_exists(b))
}
