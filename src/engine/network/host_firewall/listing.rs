//! Reading the host firewall's forward chains and their rules from nftables dumps: which
//! chains drop what they do not accept, and which rules are berth's (by their comment).

use super::super::error::{NetworkError, Result};
use super::super::nft::{self, Raw};
use netlink_packet_netfilter::NetfilterProtoFamily;
use netlink_packet_netfilter::nftables::{
    ChainMessage, NfTablesMessage, RuleAttribute, RuleMessage,
};

/// `NFPROTO_INET`, `NFPROTO_IPV4`: the families whose forward hook sees IPv4.
pub(super) const NFPROTO_INET: u8 = 1;
pub(super) const NFPROTO_IPV4: u8 = 2;
/// `NF_INET_FORWARD`.
pub(super) const HOOK_FORWARD: u32 = 2;
/// `NF_DROP`, `NF_ACCEPT`.
pub(super) const NF_DROP: u32 = 0;
pub(super) const NF_ACCEPT: u32 = 1;
/// `NFTA_CHAIN_TABLE`, `_NAME`, `_HOOK`, `_POLICY`; `NFTA_HOOK_HOOKNUM`.
pub(super) const CHAIN_TABLE: u16 = 1;
pub(super) const CHAIN_NAME: u16 = 3;
pub(super) const CHAIN_HOOK: u16 = 4;
pub(super) const CHAIN_POLICY: u16 = 5;
pub(super) const HOOK_HOOKNUM: u16 = 1;
/// `NFTA_RULE_HANDLE`, `_EXPRESSIONS`, `_USERDATA`.
pub(super) const RULE_HANDLE: u16 = 3;
pub(super) const RULE_EXPRESSIONS: u16 = 4;
pub(super) const RULE_USERDATA: u16 = 7;
/// `NFTA_EXPR_NAME`, `NFTA_EXPR_DATA`; `NFTA_IMMEDIATE_DATA`, `NFTA_DATA_VERDICT`,
/// `NFTA_VERDICT_CODE`; `NFTA_TARGET_NAME`.
pub(super) const EXPR_NAME: u16 = 1;
pub(super) const EXPR_DATA: u16 = 2;
pub(super) const IMMEDIATE_DATA: u16 = 2;
pub(super) const DATA_VERDICT: u16 = 2;
pub(super) const VERDICT_CODE: u16 = 1;
pub(super) const VERDICT_CHAIN: u16 = 2;
pub(super) const TARGET_NAME: u16 = 1;
/// `NFTNL_UDATA_RULE_COMMENT`: the type of a comment in a rule's user data.
pub(super) const UDATA_COMMENT: u8 = 0;
/// What every comment of berth's rules starts with.
pub(super) const TAG: &str = "berth:";
/// Docker's chain for the user's own forward rules: berth's go after the jump to it, so
/// they apply to berth's bridges too, as they do to Docker's.
pub(super) const DOCKER_USER: &str = "DOCKER-USER";

/// A forward base chain of another table.
#[derive(Debug, Clone)]
pub(super) struct Chain {
    pub(super) family: u8,
    pub(super) table: String,
    pub(super) name: String,
    pub(super) policy_drop: bool,
}

/// One rule of such a chain, as far as berth needs to know it.
#[derive(Debug)]
pub(super) struct Rule {
    pub(super) handle: u64,
    pub(super) comment: Option<String>,
    /// Its expressions, undecoded until asked about (a start only reads the comments).
    pub(super) exprs: Vec<u8>,
}

impl Rule {
    /// The expressions: (name, data).
    pub(super) fn expressions(&self) -> Vec<(String, Vec<u8>)> {
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
    pub(super) fn final_drop(&self) -> bool {
        let exprs = self.expressions();
        exprs.iter().all(|(n, _)| unconditional(n))
            && exprs.last().is_some_and(|(n, d)| drops(n, d))
    }

    /// The chain it jumps to, if it ends in a jump or goto.
    pub(super) fn jumps_to(&self) -> Option<String> {
        self.expressions()
            .last()
            .filter(|(n, _)| n == "immediate")
            .and_then(|(_, d)| verdict_of(d))
            .and_then(|v| nft::attr(&v, VERDICT_CHAIN).map(nft::string))
    }
}

/// The comment of berth's rules for `bridge`.
pub(super) fn tag(bridge: &str) -> String {
    format!("{TAG}{bridge}")
}

/// A rule's user data holding `comment`, in the TLV format of libnftnl (`nft` and
/// `iptables-nft` show it as the rule's comment).
pub(super) fn comment_udata(comment: &str) -> Vec<u8> {
    let mut v = vec![UDATA_COMMENT, comment.len() as u8 + 1];
    v.extend_from_slice(comment.as_bytes());
    v.push(0);
    v
}

/// The comment in a rule's user data, if any.
pub(super) fn udata_comment(mut v: &[u8]) -> Option<String> {
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

/// A big-endian u32 attribute value.
pub(super) fn be32(v: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(v.get(..4)?.try_into().ok()?))
}

/// The forward base chain `c` describes, if it is one of another table seeing IPv4.
pub(super) fn forward_chain(c: &Raw) -> Option<Chain> {
    if c.family != NFPROTO_IPV4 && c.family != NFPROTO_INET {
        return None;
    }
    let table = nft::string(c.attr(CHAIN_TABLE)?);
    if c.family == NFPROTO_IPV4 && table == super::super::firewall::TABLE {
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
pub(super) fn unconditional(name: &str) -> bool {
    matches!(name, "counter" | "log" | "immediate" | "reject" | "target")
}

/// Whether the expression (name, data) drops or rejects.
pub(super) fn drops(name: &str, data: &[u8]) -> bool {
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
pub(super) fn verdict_of(data: &[u8]) -> Option<Vec<(u16, Vec<u8>)>> {
    let d = nft::attrs(nft::attr(&nft::attrs(data), IMMEDIATE_DATA)?);
    Some(nft::attrs(nft::attr(&d, DATA_VERDICT)?))
}

/// A rule of a dump, as far as berth needs to know it.
pub(super) fn rule_of(r: &Raw) -> Option<Rule> {
    Some(Rule {
        handle: u64::from_be_bytes(r.attr(RULE_HANDLE)?.get(..8)?.try_into().ok()?),
        comment: r.attr(RULE_USERDATA).and_then(udata_comment),
        exprs: r.attr(RULE_EXPRESSIONS).unwrap_or_default().to_vec(),
    })
}

/// Every forward base chain of another table seeing IPv4.
pub(super) fn forward_chains() -> Result<Vec<Chain>> {
    let all = nft::dump(
        NetfilterProtoFamily::Unspec,
        NfTablesMessage::GetChain(ChainMessage { attributes: vec![] }),
    )
    .map_err(|e| NetworkError::firewall("list forward chains", e))?;
    Ok(all.iter().filter_map(forward_chain).collect())
}

/// The rules of chain `c` (none when it is gone meanwhile).
pub(super) fn rules(c: &Chain) -> Result<Vec<Rule>> {
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
pub(super) fn dropping(c: &Chain, rules: &[Rule]) -> bool {
    c.policy_drop || rules.last().is_some_and(Rule::final_drop)
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
