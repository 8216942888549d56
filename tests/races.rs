//! Eight berth processes at once racing `run`, `rm -f`, `rename`, `network connect`/
//! `disconnect` and `volume rm` on the same few names (root only, in the test's own network
//! namespace). Every command either does its work or fails with one clear line; afterwards
//! the records agree with each other, and once everything is removed no veth, mount,
//! cgroup or process is left. About 20 s; `BERTH_RACE_SECONDS=60` makes it a minute.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const NAMES: [&str; 4] = ["r0", "r1", "r2", "r3"];
const VOLUMES: [&str; 2] = ["rv0", "rv1"];

/// A small xorshift generator: each worker its own, seeded apart.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn race_time() -> Duration {
    let secs = std::env::var("BERTH_RACE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

/// One random command on the shared names.
fn random_command(rng: &mut Rng) -> Vec<String> {
    let name = NAMES[rng.below(NAMES.len())];
    let other = NAMES[rng.below(NAMES.len())];
    let volume = VOLUMES[rng.below(VOLUMES.len())];
    let mount = format!("{volume}:/data");
    let args: Vec<&str> = match rng.below(6) {
        0 | 1 => vec![
            "run",
            "-d",
            "--name",
            name,
            "--network",
            "ra",
            "-v",
            &mount,
            "busybox",
            "sleep",
            "300",
        ],
        2 => vec!["rm", "-f", name],
        3 => vec!["rename", name, other],
        4 => match rng.below(2) {
            0 => vec!["network", "connect", "rb", name],
            _ => vec!["network", "disconnect", "rb", name],
        },
        _ => vec!["volume", "rm", volume],
    };
    args.into_iter().map(str::to_string).collect()
}

/// Whether a failure is one clear line a user can act on.
fn clear_failure(out: &harness::Out) -> bool {
    let lines: Vec<&str> = out.stderr.lines().collect();
    lines.len() == 1
        && !out.stderr.contains("panicked")
        && !out.stderr.contains("os error")
        && !out.stderr.contains("ENOENT")
        && !out.stderr.contains("EEXIST")
}

#[test]
fn eight_processes_racing_on_the_same_names_leave_consistent_records() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    ns.ok(&b, &["network", "create", "ra"]);
    ns.ok(&b, &["network", "create", "rb"]);
    let until = Instant::now() + race_time();
    let ids_seen = Mutex::new(BTreeSet::new());
    let unclear = Mutex::new(Vec::new());
    let tally = Mutex::new(BTreeMap::<String, usize>::new());
    std::thread::scope(|s| {
        for w in 0..8u64 {
            let (ns, b, ids_seen, unclear, tally) = (&ns, &b, &ids_seen, &unclear, &tally);
            s.spawn(move || {
                let mut rng =
                    Rng(0x9e37_79b9_7f4a_7c15 ^ (w + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9));
                while Instant::now() < until {
                    let args = random_command(&mut rng);
                    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = ns.berth(b, &argv);
                    let verb = if argv[0] == "network" {
                        argv[1]
                    } else {
                        argv[0]
                    };
                    if out.code == 0 {
                        if argv[0] == "run" {
                            ids_seen
                                .lock()
                                .expect("lock")
                                .insert(out.stdout.trim().to_string());
                        }
                        *tally
                            .lock()
                            .expect("lock")
                            .entry(format!("{verb}: ok"))
                            .or_default() += 1;
                    } else if clear_failure(&out) {
                        // The message without the names, to count kinds of failure.
                        let kind: String = out
                            .stderr
                            .split('\'')
                            .step_by(2)
                            .collect::<Vec<_>>()
                            .join("'…'");
                        *tally
                            .lock()
                            .expect("lock")
                            .entry(format!("{verb}: {}", kind.trim()))
                            .or_default() += 1;
                    } else {
                        unclear
                            .lock()
                            .expect("lock")
                            .push(format!("{argv:?}: {out:?}"));
                    }
                }
            });
        }
    });
    let tally = tally.into_inner().expect("lock");
    eprintln!("what the racing commands did: {tally:#?}");
    let unclear = unclear.into_inner().expect("lock");
    assert!(
        unclear.is_empty(),
        "failures without one clear line: {unclear:#?}"
    );
    for verb in ["run", "rm", "rename", "connect", "disconnect"] {
        assert!(
            tally.keys().any(|k| k.starts_with(&format!("{verb}: ok"))),
            "no '{verb}' ever succeeded: {tally:#?}"
        );
    }

    // The records agree: unique names, every container on `ra` with an address that no
    // other has, the networks' endpoints all of existing containers, every volume in use
    // recorded, and running containers really running.
    let ids = b.container_ids();
    let mut names = BTreeSet::new();
    for id in &ids {
        let dir = b.container_dir(id);
        if !dir.join("config.json").exists() {
            let listing = std::process::Command::new("ls")
                .args(["-laR"])
                .arg(&dir)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
            panic!("container directory without a record: {listing:?}");
        }
        let c = b.config(id);
        assert!(
            names.insert(c["name"].as_str().expect("name").to_string()),
            "name twice: {c}"
        );
        let status = b.status(id);
        assert!(
            matches!(status.as_str(), "running" | "created" | "exited"),
            "{id}: {status}"
        );
    }
    let inspect = |net: &str| -> serde_json::Value {
        let v: serde_json::Value =
            serde_json::from_str(&ns.ok(&b, &["network", "inspect", net])).expect("json");
        v[0]["Containers"].clone()
    };
    for net in ["ra", "rb"] {
        let members = inspect(net);
        let mut addresses = BTreeSet::new();
        for (id, ep) in members.as_object().expect("object") {
            assert!(
                ids.contains(id),
                "network {net} lists removed container {id}"
            );
            let ip = ep["IPv4Address"].as_str().unwrap_or_default().to_string();
            assert!(
                addresses.insert(ip.clone()),
                "{net}: address {ip} twice: {members}"
            );
        }
        if net == "ra" {
            for id in &ids {
                assert!(
                    members.get(id).is_some(),
                    "container {id} lost its endpoint on ra"
                );
            }
        }
    }
    let volumes: BTreeSet<String> = ns
        .ok(&b, &["volume", "ls", "-q"])
        .lines()
        .map(str::to_string)
        .collect();
    for id in &ids {
        for m in b.config(id)["mounts"].as_array().expect("mounts") {
            let v = m["source"].as_str().unwrap_or_default();
            assert!(
                volumes.contains(v),
                "container {id} uses volume '{v}', which is gone"
            );
        }
    }
    for id in ids.iter().filter(|id| b.status(id) == "running") {
        let out = ns.berth(&b, &["exec", id, "true"]);
        assert_eq!(out.code, 0, "running container {id} cannot exec: {out:?}");
    }

    // Everything removed: nothing of any container ever made is left.
    if !ids.is_empty() {
        let mut args = vec!["rm", "-f"];
        args.extend(ids.iter().map(String::as_str));
        ns.ok(&b, &args);
    }
    for id in ids_seen.into_inner().expect("lock") {
        b.assert_no_leftovers(&id);
    }
    let links: Vec<String> = ns
        .links()
        .into_iter()
        .filter(|l| l != "lo" && !l.starts_with("br-") && l != "berth0")
        .collect();
    assert!(links.is_empty(), "veths left: {links:?}");
    let left = b.root_leftovers();
    assert!(left.is_empty(), "{left:#?}");
    for net in ["ra", "rb"] {
        let members = inspect(net);
        assert_eq!(
            members,
            serde_json::json!({}),
            "{net} still lists endpoints"
        );
    }
    ns.ok(&b, &["volume", "rm", "-f", "rv0", "rv1"]);
    assert_eq!(ns.ok(&b, &["volume", "ls", "-q"]), "");
}
