//! The embedded DNS server's answers: names, short ids and aliases of the containers that
//! share a user network with the asking container; every address of a name, in rotating
//! order; other names are left to the caller to forward. Messages through hickory-proto.

use super::Network;
use crate::engine::container::Link;
use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::{RData, Record, RecordType, rdata::A};
use std::net::Ipv4Addr;

/// TTL of the answers (Docker's).
const TTL: u32 = 600;

/// What to do with a query.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// Send these bytes back.
    Answer(Vec<u8>),
    /// Not one of ours: forward to the upstream resolvers.
    Forward,
    /// Not a DNS query: ignore it.
    Drop,
}

/// The addresses of `name` as seen by container `me`: every running container on a user
/// network `me` is on whose name, id, 12-character short id or alias is `name`. The alias
/// of one of `me`'s `--link`s stands for the link's target name (seen by `me` only), as
/// libnetwork's endpoint aliases do.
pub fn lookup(
    all: &[Network],
    me: &str,
    links: &[Link],
    name: &str,
    running: &dyn Fn(&str) -> bool,
) -> Vec<Ipv4Addr> {
    let mut name = name.trim_end_matches('.').to_ascii_lowercase();
    if let Some(l) = links.iter().find(|l| l.alias.to_ascii_lowercase() == name) {
        name = l.name.to_ascii_lowercase();
    }
    let mut out = Vec::new();
    for n in all
        .iter()
        .filter(|n| n.is_user_bridge() && n.endpoints.contains_key(me))
    {
        for (id, e) in &n.endpoints {
            let hit = e.container_name.to_ascii_lowercase() == name
                || *id == name
                || id.short() == name
                || e.aliases.iter().any(|a| a.to_ascii_lowercase() == name);
            if hit
                && (id == me || running(id))
                && let Ok(ip) = e.ipv4.parse()
                && !out.contains(&ip)
            {
                out.push(ip);
            }
        }
    }
    out
}

/// A reply to `query` with `code` and no answers (e.g. NXDOMAIN, SERVFAIL).
pub fn error_reply(query: &[u8], code: ResponseCode) -> Option<Vec<u8>> {
    let q = Message::from_vec(query).ok()?;
    let mut r = Message::error_msg(q.metadata.id, q.metadata.op_code, code);
    r.metadata.recursion_desired = q.metadata.recursion_desired;
    r.metadata.recursion_available = true;
    r.add_queries(q.queries.iter().cloned());
    r.to_vec().ok()
}

/// Answers `query` (received over UDP) from `resolve` (name and query type -> addresses,
/// in the order to give); an empty list means "not ours". An answer larger than the
/// client can take (512 bytes, or its EDNS size) is truncated with TC set.
pub fn answer(query: &[u8], resolve: &mut dyn FnMut(&str, RecordType) -> Vec<Ipv4Addr>) -> Reply {
    answer_within(query, false, resolve)
}

/// Like `answer`, for a query received over TCP: the answer is never truncated.
pub fn answer_tcp(
    query: &[u8],
    resolve: &mut dyn FnMut(&str, RecordType) -> Vec<Ipv4Addr>,
) -> Reply {
    answer_within(query, true, resolve)
}

fn answer_within(
    query: &[u8],
    tcp: bool,
    resolve: &mut dyn FnMut(&str, RecordType) -> Vec<Ipv4Addr>,
) -> Reply {
    let Ok(q) = Message::from_vec(query) else {
        return Reply::Drop;
    };
    if q.metadata.message_type != MessageType::Query {
        return Reply::Drop;
    }
    let Some(question) = q.queries.first().cloned() else {
        return error_reply(query, ResponseCode::FormErr).map_or(Reply::Drop, Reply::Answer);
    };
    if q.metadata.op_code != OpCode::Query {
        return error_reply(query, ResponseCode::NotImp).map_or(Reply::Drop, Reply::Answer);
    }
    let name = question.name().to_ascii();
    let addrs = resolve(&name, question.query_type());
    if addrs.is_empty() {
        return Reply::Forward;
    }
    let mut r = Message::response(q.metadata.id, OpCode::Query);
    r.metadata.recursion_desired = q.metadata.recursion_desired;
    r.metadata.recursion_available = true;
    r.metadata.authoritative = true;
    r.add_query(question.clone());
    // A name we know has only IPv4 addresses: other types get an empty NOERROR answer.
    if question.query_type() == RecordType::A {
        for ip in &addrs {
            r.add_answer(Record::from_rdata(
                question.name().clone(),
                TTL,
                RData::A(A(*ip)),
            ));
        }
    }
    let limit = match &q.edns {
        Some(e) => {
            r.set_edns(e.clone());
            usize::from(e.max_payload().max(512))
        }
        None => 512,
    };
    let limit = if tcp { usize::from(u16::MAX) } else { limit };
    let Ok(bytes) = r.to_vec() else {
        return error_reply(query, ResponseCode::ServFail).map_or(Reply::Drop, Reply::Answer);
    };
    if bytes.len() > limit {
        return r.truncate().to_vec().map_or(Reply::Drop, Reply::Answer);
    }
    Reply::Answer(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ContainerId, NetworkId};
    use hickory_proto::op::Query;
    use hickory_proto::rr::Name;

    fn query(name: &str, t: RecordType) -> Vec<u8> {
        let mut m = Message::query();
        m.metadata.id = 77;
        m.add_query(Query::query(Name::from_ascii(name).expect("name"), t));
        m.to_vec().expect("encode")
    }

    #[test]
    fn known_names_answer_all_addresses() {
        let ips = vec![Ipv4Addr::new(172, 18, 0, 2), Ipv4Addr::new(172, 18, 0, 3)];
        let Reply::Answer(bytes) =
            answer(&query("search.", RecordType::A), &mut |_, _| ips.clone())
        else {
            panic!("no answer");
        };
        let m = Message::from_vec(&bytes).expect("decode");
        assert_eq!(m.metadata.id, 77);
        assert_eq!(m.answers.len(), 2);
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    }

    #[test]
    fn aaaa_is_empty_and_unknown_is_forwarded() {
        let Reply::Answer(bytes) = answer(&query("web.", RecordType::AAAA), &mut |_, _| {
            vec![Ipv4Addr::new(10, 0, 0, 2)]
        }) else {
            panic!("no answer");
        };
        let m = Message::from_vec(&bytes).expect("decode");
        assert!(m.answers.is_empty());
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
        assert_eq!(
            answer(&query("example.org.", RecordType::A), &mut |_, _| vec![]),
            Reply::Forward
        );
        let nx = error_reply(&query("x.", RecordType::A), ResponseCode::NXDomain).expect("reply");
        assert_eq!(
            Message::from_vec(&nx)
                .expect("decode")
                .metadata
                .response_code,
            ResponseCode::NXDomain
        );
        assert_eq!(answer(b"junk", &mut |_, _| vec![]), Reply::Drop);
    }

    #[test]
    fn large_answers_are_truncated() {
        let many: Vec<Ipv4Addr> = (1..=60).map(|i| Ipv4Addr::new(10, 0, 0, i)).collect();
        let Reply::Answer(bytes) = answer(&query("big.", RecordType::A), &mut |_, _| many.clone())
        else {
            panic!("no answer");
        };
        assert!(bytes.len() <= 512);
        let m = Message::from_vec(&bytes).expect("decode");
        assert!(m.metadata.truncation);
        // Over TCP the same question gets every address, untruncated.
        let Reply::Answer(bytes) =
            answer_tcp(&query("big.", RecordType::A), &mut |_, _| many.clone())
        else {
            panic!("no answer");
        };
        let m = Message::from_vec(&bytes).expect("decode");
        assert!(!m.metadata.truncation);
        assert_eq!(m.answers.len(), 60);
    }

    fn net(endpoints: &[(&str, &str, &str)]) -> Network {
        Network {
            id: NetworkId::from_trusted("e".repeat(64)),
            name: "app".into(),
            driver: "bridge".into(),
            created: chrono::Utc::now(),
            subnet: Some("10.9.0.0/16".into()),
            gateway: Some("10.9.0.1".into()),
            ip_range: None,
            internal: false,
            labels: Default::default(),
            bridge: String::new(),
            endpoints: endpoints
                .iter()
                .map(|(id, name, ip)| {
                    let e = super::super::Endpoint {
                        container_name: name.to_string(),
                        endpoint_id: String::new(),
                        mac: String::new(),
                        ipv4: ip.to_string(),
                        aliases: Vec::new(),
                        ifname: "eth0".into(),
                    };
                    (ContainerId::from_trusted(*id), e)
                })
                .collect(),
            mtu: None,
        }
    }

    #[test]
    fn a_link_alias_resolves_for_the_linking_container_only() {
        let all = [net(&[
            ("web", "web", "10.9.0.2"),
            ("db", "db", "10.9.0.3"),
            ("other", "other", "10.9.0.4"),
        ])];
        let link = Link {
            target: "db".into(),
            name: "db".into(),
            alias: "store".into(),
        };
        let up = |_: &str| true;
        let db = vec![Ipv4Addr::new(10, 9, 0, 3)];
        assert_eq!(lookup(&all, "web", &[link], "Store.", &up), db);
        assert!(lookup(&all, "other", &[], "store", &up).is_empty());
        assert_eq!(lookup(&all, "other", &[], "db", &up), db);
        assert!(lookup(&all, "other", &[], "db", &|_| false).is_empty());
    }

    #[test]
    fn aaaa_for_a_known_name_is_an_empty_noerror() {
        let ips = vec![Ipv4Addr::new(172, 18, 0, 2)];
        let Reply::Answer(bytes) =
            answer(&query("web.", RecordType::AAAA), &mut |_, _| ips.clone())
        else {
            panic!("no answer");
        };
        let m = Message::from_vec(&bytes).expect("decode");
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
        assert!(m.answers.is_empty());
    }

    /// Queries of every shape get replies that parse back (`fuzzing::dns`), and damaged
    /// ones are answered, forwarded or dropped without a panic.
    mod props {
        use super::*;
        use hickory_proto::op::Edns;
        use proptest::prelude::*;
        use proptest::sample::Index;

        fn query_bytes() -> impl Strategy<Value = Vec<u8>> {
            let types = prop::sample::select(vec![
                RecordType::A,
                RecordType::AAAA,
                RecordType::MX,
                RecordType::TXT,
                RecordType::ANY,
                RecordType::SRV,
            ]);
            let name = "[a-z0-9_-]{1,30}(\\.[a-z0-9-]{1,20}){0,3}\\.?";
            let edns = prop::option::of(0u16..4096);
            (
                any::<u16>(),
                prop::collection::vec((name, types), 0..3),
                any::<bool>(),
                edns,
            )
                .prop_filter_map("a valid name", |(id, qs, rd, edns)| {
                    let mut m = Message::query();
                    m.metadata.id = id;
                    m.metadata.recursion_desired = rd;
                    for (name, t) in qs {
                        m.add_query(Query::query(Name::from_ascii(&name).ok()?, t));
                    }
                    if let Some(size) = edns {
                        let mut e = Edns::new();
                        e.set_max_payload(size);
                        m.set_edns(e);
                    }
                    m.to_vec().ok()
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(256)))]
            #[test]
            fn every_reply_parses_back(q in query_bytes()) {
                crate::engine::fuzzing::dns(&q);
            }

            #[test]
            fn damaged_queries_never_panic(
                mut q in query_bytes(),
                flips in prop::collection::vec((any::<Index>(), any::<u8>()), 1..4),
                cut in any::<Index>(),
            ) {
                for (at, byte) in flips {
                    let i = at.index(q.len());
                    q[i] = byte;
                }
                let keep = cut.index(q.len() + 1);
                crate::engine::fuzzing::dns(&q);
                crate::engine::fuzzing::dns(&q[..keep]);
            }
        }
    }
}
