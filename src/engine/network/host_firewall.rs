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

use super::error::{NetworkError, Result};
use super::firewall::{Expr, cmp, ct_established, ifname, meta, verdict};
use super::nft::{self, Op, Raw};
use netlink_packet_core::{DefaultNla, NLM_F_APPEND, NLM_F_CREATE};
use netlink_packet_netfilter::NetfilterProtoFamily;
use netlink_packet_netfilter::nftables::{
    ChainMessage, Expressions, MetaKey, NfTablesMessage, Operator, RuleAttribute, RuleMessage,
};

/// `NFPROTO_INET`, `NFPROTO_IPV4`: the families whose forward hook sees IPv4.
const NFPROTO_INET: u8 = 1;
const NFPROTO_IPV4: u8 = 2;
/// `NF_INET_FORWARD`.
const HOOK_FORWARD: u32 = 2;
/// `NF_DROP`, `NF_ACCEPT`.
const NF_DROP: u32 = 0;
const NF_ACCEPT: u32 = 1;
/// `NFTA_CHAIN_TABLE`, `_NAME`, `_HOOK`, `_POLICY`; `NFTA_HOOK_HOOKNUM`.
const CHAIN_TABLE: u16 = 1;
const CHAIN_NAME: u16 = 3;
const CHAIN_HOOK: u16 = 4;
const CHAIN_POLICY: u16 = 5;
const HOOK_HOOKNUM: u16 = 1;
/// `NFTA_RULE_HANDLE`, `_EXPRESSIONS`, `_USERDATA`.
const RULE_HANDLE: u16 = 3;
const RULE_EXPRESSIONS: u16 = 4;
const RULE_USERDATA: u16 = 7;
/// `NFTA_EXPR_NAME`, `NFTA_EXPR_DATA`; `NFTA_IMMEDIATE_DATA`, `NFTA_DATA_VERDICT`,
/// `NFTA_VERDICT_CODE`; `NFTA_TARGET_NAME`.
const EXPR_NAME: u16 = 1;
const EXPR_DATA: u16 = 2;
const IMMEDIATE_DATA: u16 = 2;
const DATA_VERDICT: u16 = 2;
const VERDICT_CODE: u16 = 1;
const VERDICT_CHAIN: u16 = 2;
const TARGET_NAME: u16 = 1;
/// `NFTNL_UDATA_RULE_COMMENT`: the type of a comment in a rule's user data.
const UDATA_COMMENT: u8 = 0;
/// What every comment of berth's rules starts with.
const TAG: &str = "berth:";
/// Docker's chain for the user's own forward rules: berth's go after the jump to it, so
/// they apply to berth's bridges too, as they do to Docker's.
const DOCKER_USER: &str = "DOCKER-USER";

/// A forward base chain of another table.
#[derive(Debug, Clone)]
struct Chain {
    family: u8,
    table: String,
    name: String,
    policy_drop: bool,
}

/// One rule of such a chain, as far as berth needs to know it.
#[derive(Debug)]
struct Rule {
    handle: u64,
    comment: Option<String>,
    /// Its expressions, undecoded until asked about (a start only reads the comments).
    exprs: Vec<u8>,
}

impl Rule {
    /// The expressions: (name, data).
    fn expressions(&self) -> Vec<(String, Vec<u8>)> {
        nft::attrs(&self.exprs)
            .iter()
            .map(|(_, elem)| {
                let e = nft::attrs(elem);
                let name = nft::attr(&e, EXPR_NAME)
                    .map(nft::string)
                    .unwrap_or_default();
                (name, nft::attr(&e, EXPR_DATA).unwrap_or_default().to_vec())
            })
            .collect()
    }

    /// Whether it is an unconditional drop or reject (what ends firewalld's chains).
    fn final_drop(&self) -> bool {
        let exprs = self.expressions();
        exprs.iter().all(|(n, _)| unconditional(n))
            && exprs.last().is_some_and(|(n, d)| drops(n, d))
    }

    /// The chain it jumps to, if it ends in a jump or goto.
    fn jumps_to(&self) -> Option<String> {
        self.expressions()
            .last()
            .filter(|(n, _)| n == "immediate")
            .and_then(|(_, d)| verdict_of(d))
            .and_then(|v| nft::attr(&v, VERDICT_CHAIN).map(nft::string))
    }
}

/// The comment of berth's rules for `bridge`.
fn tag(bridge: &str) -> String {
    format!("{TAG}{bridge}")
}

/// A rule's user data holding `comment`, in the TLV format of libnftnl (`nft` and
/// `iptables-nft` show it as the rule's comment).
fn comment_udata(comment: &str) -> Vec<u8> {
    let mut v = vec![UDATA_COMMENT, comment.len() as u8 + 1];
    v.extend_from_slice(comment.as_bytes());
    v.push(0);
    v
}

/// The comment in a rule's user data, if any.
fn udata_comment(mut v: &[u8]) -> Option<String> {
    while v.len() >= 2 {
        let (kind, len) = (v[0], v[1] as usize);
        let value = v.get(2..2 + len)?;
        if kind == UDATA_COMMENT {
            return Some(nft::string(value));
        }
        v = &v[2 + len..];
    }
    None
}

fn be32(v: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(v.get(..4)?.try_into().ok()?))
}

/// The forward base chain `c` describes, if it is one of another table seeing IPv4.
fn forward_chain(c: &Raw) -> Option<Chain> {
    if c.family != NFPROTO_IPV4 && c.family != NFPROTO_INET {
        return None;
    }
    let table = nft::string(c.attr(CHAIN_TABLE)?);
    if c.family == NFPROTO_IPV4 && table == super::firewall::TABLE {
        return None;
    }
    let hook = nft::attrs(c.attr(CHAIN_HOOK)?);
    if be32(nft::attr(&hook, HOOK_HOOKNUM)?)? != HOOK_FORWARD {
        return None;
    }
    Some(Chain {
        family: c.family,
        table,
        name: nft::string(c.attr(CHAIN_NAME)?),
        policy_drop: c.attr(CHAIN_POLICY).and_then(be32) == Some(NF_DROP),
    })
}

/// Whether an expression (name, data) only acts, matching nothing: a rule made of these
/// applies to every packet.
fn unconditional(name: &str) -> bool {
    matches!(name, "counter" | "log" | "immediate" | "reject" | "target")
}

/// Whether the expression (name, data) drops or rejects.
fn drops(name: &str, data: &[u8]) -> bool {
    match name {
        "reject" => true,
        "target" => nft::attr(&nft::attrs(data), TARGET_NAME)
            .map(nft::string)
            .is_some_and(|t| t == "REJECT" || t == "DROP"),
        "immediate" => verdict_of(data)
            .and_then(|v| nft::attr(&v, VERDICT_CODE).and_then(be32))
            .is_some_and(|code| code == NF_DROP),
        _ => false,
    }
}

/// The verdict attributes of an `immediate` expression's data, if it sets one.
fn verdict_of(data: &[u8]) -> Option<Vec<(u16, Vec<u8>)>> {
    let d = nft::attrs(nft::attr(&nft::attrs(data), IMMEDIATE_DATA)?);
    Some(nft::attrs(nft::attr(&d, DATA_VERDICT)?))
}

fn rule_of(r: &Raw) -> Option<Rule> {
    Some(Rule {
        handle: u64::from_be_bytes(r.attr(RULE_HANDLE)?.get(..8)?.try_into().ok()?),
        comment: r.attr(RULE_USERDATA).and_then(udata_comment),
        exprs: r.attr(RULE_EXPRESSIONS).unwrap_or_default().to_vec(),
    })
}

/// Every forward base chain of another table seeing IPv4.
fn forward_chains() -> Result<Vec<Chain>> {
    let all = nft::dump(
        NetfilterProtoFamily::Unspec,
        NfTablesMessage::GetChain(ChainMessage { attributes: vec![] }),
    )
    .map_err(|e| NetworkError::firewall("list forward chains", e))?;
    Ok(all.iter().filter_map(forward_chain).collect())
}

/// The rules of chain `c` (none when it is gone meanwhile).
fn rules(c: &Chain) -> Result<Vec<Rule>> {
    let msg = NfTablesMessage::GetRule(RuleMessage {
        attributes: vec![
            RuleAttribute::Table(c.table.clone()),
            RuleAttribute::Chain(c.name.clone()),
        ],
    });
    match nft::dump(c.family.into(), msg) {
        Ok(all) => Ok(all.iter().filter_map(rule_of).collect()),
        Err(e) if e.errno() == libc::ENOENT => Ok(vec![]),
        Err(e) => Err(NetworkError::firewall(
            format!("list rules of {}", c.name),
            e,
        )),
    }
}

/// Whether chain `c` (with `rules`) drops what it does not accept.
fn dropping(c: &Chain, rules: &[Rule]) -> bool {
    c.policy_drop || rules.last().is_some_and(Rule::final_drop)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_round_trip_in_libnftnl_format() {
        let u = comment_udata("berth:br-0123456789ab");
        assert_eq!(u[0], 0);
        assert_eq!(u[1] as usize, "berth:br-0123456789ab".len() + 1);
        assert_eq!(u.last(), Some(&0));
        assert_eq!(udata_comment(&u).as_deref(), Some("berth:br-0123456789ab"));
        // Another TLV first (type 1: iptables-nft's rule compat data).
        let mut v = vec![1, 2, 9, 9];
        v.extend(u);
        assert_eq!(udata_comment(&v).as_deref(), Some("berth:br-0123456789ab"));
        assert_eq!(udata_comment(&[0, 40, 1]), None);
    }

    #[test]
    fn only_unconditional_drops_and_rejects_end_a_chain() {
        assert!(drops("reject", &[]));
        assert!(!drops("counter", &[]));
        assert!(unconditional("counter") && !unconditional("cmp"));
    }
}
