//! The DNS query log of a user network: one JSON line per query the embedded DNS servers
//! (one in each container's shim) saw from a container on that network, in
//! `networks/<id>.dns.jsonl`.
//!
//! Several shims append to the same file at once: each record is one `write` of a whole
//! line on a descriptor opened with `O_APPEND`, which the kernel keeps whole for regular
//! files. The log is bounded: past [`MAX_BYTES`] it is renamed to `<id>.dns.jsonl.1`
//! (replacing the previous one) under a lock, so at most twice that is kept.
//!
//! The default bridge has no entries: its containers have no embedded server (their
//! resolv.conf names the host's resolvers, and names do not resolve there, as in Docker).

use super::{Network, store};
use crate::engine::error::{IoContext, Result};
use crate::engine::store::{FileLock, Paths};
use crate::engine::{Engine, NetworkId};
use chrono::{DateTime, Utc};
use hickory_proto::rr::RecordType;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// A log file is rotated when it reaches this size.
pub const MAX_BYTES: u64 = 256 * 1024;

/// What the server did with a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A name of the network: these addresses, in the order given.
    Answered,
    /// A name of the network, asked for a type it has no records of (AAAA): empty answer.
    NoData,
    /// Not a name of the network: sent on to this resolver.
    Forwarded(String),
    /// Not a name of the network and no resolver to ask: NXDOMAIN.
    NxDomain,
}

/// One query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsLogEntry {
    /// When it was asked.
    pub time: DateTime<Utc>,
    /// The asking container's id.
    pub container_id: String,
    /// Its name.
    pub container_name: String,
    /// The name asked for, without the final dot.
    pub name: String,
    /// `A`, `AAAA`, `MX`, ...
    pub qtype: String,
    /// What the server did.
    pub outcome: Outcome,
    /// The addresses answered, in order (for `Answered`).
    #[serde(default)]
    pub addresses: Vec<String>,
}

impl DnsLogEntry {
    /// The answer as the Networks pane shows it: `172.18.0.2, 172.18.0.3`, `NXDOMAIN`, ...
    pub fn answer_text(&self) -> String {
        match &self.outcome {
            Outcome::Answered => self.addresses.join(", "),
            Outcome::NoData => format!("no {} record (IPv4 only)", self.qtype),
            Outcome::Forwarded(to) => format!("forwarded to {to}"),
            Outcome::NxDomain => "NXDOMAIN".to_string(),
        }
    }
}

/// The log file of network `id`.
pub fn path(paths: &Paths, id: &str) -> PathBuf {
    store::dir(paths).join(format!("{id}.dns.jsonl"))
}

fn rotated(paths: &Paths, id: &str) -> PathBuf {
    store::dir(paths).join(format!("{id}.dns.jsonl.1"))
}

/// Appends `entry` to network `id`'s log as one line, rotating the log first when full.
pub fn append(paths: &Paths, id: &str, entry: &DnsLogEntry) -> Result<()> {
    let p = path(paths, id);
    if std::fs::metadata(&p).is_ok_and(|m| m.len() >= MAX_BYTES) {
        rotate(paths, id)?;
    }
    let mut line = serde_json::to_vec(entry).map_err(super::NetworkError::DnsLogEncode)?;
    line.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(&p)
        .at(&p)?;
    // One write of the whole line: O_APPEND keeps it whole among other writers.
    f.write_all(&line).at(&p)
}

/// Moves a full log aside, under a lock so two shims never rotate the same file twice.
fn rotate(paths: &Paths, id: &str) -> Result<()> {
    let lock = store::dir(paths).join(format!("{id}.dns.lock"));
    let _l = FileLock::exclusive(&lock)?;
    let p = path(paths, id);
    if std::fs::metadata(&p).is_ok_and(|m| m.len() >= MAX_BYTES) {
        let r = rotated(paths, id);
        std::fs::rename(&p, &r).at(&r)?;
    }
    Ok(())
}

/// The last `n` entries of network `id`'s log, oldest first (lines that do not parse,
/// such as one cut by a crash, are skipped).
pub fn read_last(paths: &Paths, id: &str, n: usize) -> Vec<DnsLogEntry> {
    let parse = |p: PathBuf| -> Vec<DnsLogEntry> {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    let mut out = parse(path(paths, id));
    if out.len() < n {
        let mut older = parse(rotated(paths, id));
        older.append(&mut out);
        out = older;
    }
    let skip = out.len().saturating_sub(n);
    out.split_off(skip)
}

/// Removes network `id`'s log (with the network).
pub fn remove(paths: &Paths, id: &str) {
    for p in [
        path(paths, id),
        rotated(paths, id),
        store::dir(paths).join(format!("{id}.dns.lock")),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

/// The entries one query makes: one in the log of each user network the asker `me` is on
/// that gave the answer (the networks holding one of `addrs`), or of every user network
/// it is on when the name is not one of theirs. `upstream` is where an unknown name goes.
pub fn entries_for(
    all: &[Network],
    me: &str,
    name: &str,
    qtype: RecordType,
    addrs: &[Ipv4Addr],
    upstream: Option<&SocketAddr>,
    time: DateTime<Utc>,
) -> Vec<(NetworkId, DnsLogEntry)> {
    let texts: Vec<String> = addrs.iter().map(Ipv4Addr::to_string).collect();
    let outcome = match (addrs.is_empty(), qtype, upstream) {
        (false, RecordType::A, _) => Outcome::Answered,
        (false, _, _) => Outcome::NoData,
        (true, _, Some(u)) => Outcome::Forwarded(u.ip().to_string()),
        (true, _, None) => Outcome::NxDomain,
    };
    let addresses = if outcome == Outcome::Answered {
        texts.clone()
    } else {
        Vec::new()
    };
    all.iter()
        .filter(|n| n.is_user_bridge())
        .filter_map(|n| n.endpoints.get(me).map(|e| (n, e)))
        .filter(|(n, _)| texts.is_empty() || n.endpoints.values().any(|o| texts.contains(&o.ipv4)))
        .map(|(n, e)| {
            let entry = DnsLogEntry {
                time,
                container_id: me.to_string(),
                container_name: e.container_name.clone(),
                name: name.trim_end_matches('.').to_string(),
                qtype: qtype.to_string(),
                outcome: outcome.clone(),
                addresses: addresses.clone(),
            };
            (n.id.clone(), entry)
        })
        .collect()
}

/// Logs one query of the embedded server (the shim's hook): failures are ignored, a
/// full disk must not stop name resolution.
pub fn record(
    paths: &Paths,
    all: &[Network],
    me: &str,
    name: &str,
    qtype: RecordType,
    addrs: &[Ipv4Addr],
    upstream: Option<&SocketAddr>,
) {
    for (id, entry) in entries_for(all, me, name, qtype, addrs, upstream, Utc::now()) {
        let _ = append(paths, &id, &entry);
    }
}

impl Engine {
    /// The last `n` DNS queries seen on network `key` (name or id), oldest first; none
    /// for networks without an embedded server (the default bridge, host, none).
    pub fn network_dns_log(&self, key: &str, n: usize) -> Result<Vec<DnsLogEntry>> {
        let net = self.network(key)?;
        Ok(read_last(self.paths(), &net.id, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ContainerId;
    use crate::engine::network::Endpoint;
    use std::collections::BTreeMap;

    fn net(name: &str, members: &[(&str, &str, &str)]) -> Network {
        let mut endpoints = BTreeMap::new();
        for (id, cname, ip) in members {
            endpoints.insert(
                ContainerId::from_trusted(*id),
                Endpoint {
                    container_name: cname.to_string(),
                    endpoint_id: "e".repeat(64),
                    mac: String::new(),
                    ipv4: ip.to_string(),
                    aliases: vec![],
                    ifname: "eth0".into(),
                },
            );
        }
        Network {
            id: NetworkId::from_trusted(format!("{name:0>64}")),
            name: name.into(),
            driver: "bridge".into(),
            created: Utc::now(),
            subnet: None,
            gateway: None,
            ip_range: None,
            internal: false,
            labels: BTreeMap::new(),
            bridge: String::new(),
            endpoints,
            mtu: None,
        }
    }

    fn entry(i: usize) -> DnsLogEntry {
        DnsLogEntry {
            time: Utc::now(),
            container_id: "c".repeat(64),
            container_name: "client".into(),
            name: format!("name{i}"),
            qtype: "A".into(),
            outcome: Outcome::Answered,
            addresses: vec!["10.0.0.2".into()],
        }
    }

    #[test]
    fn entries_go_to_the_networks_that_answered() {
        let all = vec![
            net(
                "a",
                &[("me", "client", "10.1.0.5"), ("s1", "es1", "10.1.0.2")],
            ),
            net(
                "b",
                &[("me", "client", "10.2.0.5"), ("s2", "es2", "10.2.0.2")],
            ),
            net("bridge", &[("me", "client", "172.17.0.2")]),
            net("c", &[("s3", "other", "10.3.0.2")]),
        ];
        let ip: Ipv4Addr = "10.2.0.2".parse().expect("ip");
        let t = Utc::now();
        let got = entries_for(&all, "me", "es2.", RecordType::A, &[ip], None, t);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, all[1].id);
        assert_eq!(got[0].1.name, "es2");
        assert_eq!(got[0].1.container_name, "client");
        assert_eq!(got[0].1.addresses, vec!["10.2.0.2"]);
        assert_eq!(got[0].1.answer_text(), "10.2.0.2");

        // Unknown names are logged on every user network of the asker, not the default bridge.
        let up: SocketAddr = "192.0.2.53:53".parse().expect("addr");
        let got = entries_for(&all, "me", "example.org.", RecordType::A, &[], Some(&up), t);
        let ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, vec![all[0].id.as_str(), all[1].id.as_str()]);
        assert_eq!(got[0].1.answer_text(), "forwarded to 192.0.2.53");
        let got = entries_for(&all, "me", "x.", RecordType::A, &[], None, t);
        assert_eq!(got[0].1.answer_text(), "NXDOMAIN");
        let got = entries_for(&all, "me", "es1.", RecordType::AAAA, &[ip], None, t);
        assert_eq!(got[0].1.outcome, Outcome::NoData);
        assert!(got[0].1.addresses.is_empty());
        // A container on no user network logs nothing.
        assert!(entries_for(&all, "s3x", "es1", RecordType::A, &[], None, t).is_empty());
    }

    #[test]
    fn appends_read_back_last_n_and_rotate_when_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        std::fs::create_dir_all(store::dir(&paths)).expect("mkdir");
        let id = "f".repeat(64);
        for i in 0..5 {
            append(&paths, &id, &entry(i)).expect("append");
        }
        let last = read_last(&paths, &id, 3);
        let names: Vec<&str> = last.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["name2", "name3", "name4"]);
        // A torn line is skipped, the rest still reads.
        std::fs::OpenOptions::new()
            .append(true)
            .open(path(&paths, &id))
            .and_then(|mut f| f.write_all(b"{\"time\":"))
            .expect("torn");
        append(&paths, &id, &entry(5)).expect("append");
        assert_eq!(read_last(&paths, &id, 100).len(), 5);

        let line = serde_json::to_vec(&entry(0)).expect("json").len() as u64 + 1;
        let per_file = MAX_BYTES.div_ceil(line) as usize;
        for i in 0..per_file * 2 {
            append(&paths, &id, &entry(i)).expect("append");
        }
        let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        assert!(size(path(&paths, &id)) < MAX_BYTES + line);
        assert!(size(rotated(&paths, &id)) >= MAX_BYTES);
        // Reads span the rotated file too, oldest first.
        let all = read_last(&paths, &id, per_file + 10);
        assert_eq!(all.len(), per_file + 10);
        let last = all.last().expect("entry");
        assert_eq!(last.name, format!("name{}", per_file * 2 - 1));
        remove(&paths, &id);
        assert!(!path(&paths, &id).exists() && !rotated(&paths, &id).exists());
    }

    #[test]
    fn concurrent_writers_leave_whole_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        std::fs::create_dir_all(store::dir(&paths)).expect("mkdir");
        let id = "a".repeat(64);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let (paths, id) = (paths.clone(), id.clone());
                std::thread::spawn(move || {
                    for i in 0..200 {
                        let mut e = entry(i);
                        e.container_name = format!("writer{t}");
                        append(&paths, &id, &e).expect("append");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("join");
        }
        let text = std::fs::read_to_string(path(&paths, &id)).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 800);
        for l in lines {
            serde_json::from_str::<DnsLogEntry>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        }
    }
}
