//! Network MTUs as a user sees them (root only; each test in a network namespace of its
//! own): the configured default on user networks and on `bridge`, `--opt
//! com.docker.network.driver.mtu=N` / `-o mtu=N`, the MTU on the bridge, the host ends and
//! the containers' interfaces (also after `network connect`), large packets between
//! containers, bad values refused; and `network inspect none`/`host` listing their
//! containers.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::{NetNs, in_container};

fn pid(b: &Berth, id: &str) -> i64 {
    b.state(id)["pid"].as_i64().expect("pid")
}

/// The MTU of link `name` in the test's namespace, from `ip -o link show`.
fn link_mtu(ns: &NetNs, name: &str) -> u32 {
    let o = ns.host(&["ip", "-o", "link", "show", "dev", name]);
    assert_eq!(o.code, 0, "no link {name}: {o:?}");
    let words: Vec<&str> = o.stdout.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "mtu").expect("mtu field");
    words[at + 1].parse().expect("mtu number")
}

/// The MTU of interface `ifname` as the container `pid` sees it in its own /sys.
fn container_mtu(pid: i64, ifname: &str) -> u32 {
    let o = in_container(pid, &["cat", &format!("/sys/class/net/{ifname}/mtu")]);
    assert_eq!(o.code, 0, "read {ifname}'s mtu: {o:?}");
    o.stdout.trim().parse().expect("mtu number")
}

/// `network inspect NAME`'s document.
fn inspect(ns: &NetNs, b: &Berth, name: &str) -> serde_json::Value {
    let out = ns.ok(b, &["network", "inspect", name]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("inspect is JSON");
    doc[0].clone()
}

fn bridge_of(doc: &serde_json::Value) -> String {
    doc["Options"]["com.docker.network.bridge.name"]
        .as_str()
        .expect("bridge name")
        .to_string()
}

fn sleeper(ns: &NetNs, b: &Berth, name: &str, network: &str) -> String {
    ns.ok(
        b,
        &[
            "run",
            "-d",
            "--name",
            name,
            "--network",
            network,
            "busybox",
            "sleep",
            "300",
        ],
    )
    .trim()
    .to_string()
}

#[test]
fn a_user_network_gets_the_default_mtu_and_carries_large_packets() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.61.0.0/16", "big"],
    );
    let doc = inspect(&ns, &b, "big");
    assert_eq!(doc["Options"]["com.docker.network.driver.mtu"], "65520");
    let br = bridge_of(&doc);
    assert_eq!(link_mtu(&ns, &br), 65520);

    let one = sleeper(&ns, &b, "one", "big");
    let two = sleeper(&ns, &b, "two", "big");
    assert_eq!(container_mtu(pid(&b, &one), "eth0"), 65520);
    assert_eq!(container_mtu(pid(&b, &two), "eth0"), 65520);
    assert_eq!(link_mtu(&ns, &format!("vb{}0", &one[..8])), 65520);
    // A 30000-byte ping goes across in one frame each way, by address.
    let ip = ns.ok(
        &b,
        &[
            "inspect",
            "one",
            "--format",
            "{{(index .NetworkSettings.Networks \"big\").IPAddress}}",
        ],
    );
    let ping = in_container(
        pid(&b, &two),
        &["ping", "-s", "30000", "-c", "1", "-W", "3", ip.trim()],
    );
    assert_eq!(ping.code, 0, "large ping two -> one: {ping:?}");
    assert!(ping.stdout.contains("30008 bytes from"), "{ping:?}");

    ns.ok(&b, &["rm", "-f", "one", "two"]);
    ns.ok(&b, &["network", "rm", "big"]);
}

#[test]
fn the_mtu_option_sets_bridge_veths_and_eth0_also_on_connect() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &[
            "network",
            "create",
            "--opt",
            "com.docker.network.driver.mtu=1400",
            "small",
        ],
    );
    ns.ok(&b, &["network", "create", "-o", "mtu=9000", "jumbo"]);
    let small = inspect(&ns, &b, "small");
    assert_eq!(small["Options"]["com.docker.network.driver.mtu"], "1400");
    let jumbo = inspect(&ns, &b, "jumbo");
    assert_eq!(jumbo["Options"]["com.docker.network.driver.mtu"], "9000");
    assert_eq!(link_mtu(&ns, &bridge_of(&small)), 1400);
    assert_eq!(link_mtu(&ns, &bridge_of(&jumbo)), 9000);

    let c = sleeper(&ns, &b, "box", "small");
    assert_eq!(container_mtu(pid(&b, &c), "eth0"), 1400);
    assert_eq!(link_mtu(&ns, &format!("vb{}0", &c[..8])), 1400);
    // The bridge keeps its MTU with a port on it.
    assert_eq!(link_mtu(&ns, &bridge_of(&small)), 1400);
    // A live connect gives the new interface its network's MTU.
    ns.ok(&b, &["network", "connect", "jumbo", "box"]);
    assert_eq!(container_mtu(pid(&b, &c), "eth1"), 9000);
    assert_eq!(link_mtu(&ns, &format!("vb{}1", &c[..8])), 9000);
    assert_eq!(container_mtu(pid(&b, &c), "eth0"), 1400);
    // And so does the next start (interfaces are made again).
    ns.ok(&b, &["restart", "-t", "0", "box"]);
    assert_eq!(container_mtu(pid(&b, &c), "eth0"), 1400);
    assert_eq!(container_mtu(pid(&b, &c), "eth1"), 9000);

    ns.ok(&b, &["rm", "-f", "box"]);
    ns.ok(&b, &["network", "rm", "small", "jumbo"]);
}

#[test]
fn a_bad_mtu_is_refused_and_makes_nothing() {
    let ns = NetNs::new();
    let b = Berth::new();
    let before = ns.ok(&b, &["network", "ls", "-q"]);
    for opt in [
        "com.docker.network.driver.mtu=abc",
        "com.docker.network.driver.mtu=70000",
        "mtu=67",
        "com.docker.network.bridge.name=x",
    ] {
        let o = ns.berth(&b, &["network", "create", "--opt", opt, "bad"]);
        assert_eq!(o.code, 125, "{opt}: {o:?}");
        assert_eq!(o.stderr.lines().count(), 1, "{opt}: {o:?}");
        assert!(
            o.stderr.contains("mtu") || o.stderr.contains("unsupported network option"),
            "{opt}: {o:?}"
        );
    }
    let o = ns.berth(&b, &["network", "inspect", "bad"]);
    assert_ne!(o.code, 0, "a network 'bad' was left: {o:?}");
    assert_eq!(ns.ok(&b, &["network", "ls", "-q"]), before);
    let links: Vec<String> = ns
        .links()
        .into_iter()
        .filter(|l| l.starts_with("br-"))
        .collect();
    assert!(links.is_empty(), "bridges left: {links:?}");
}

#[test]
fn the_default_bridge_takes_network_mtu_from_the_config() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.set_config("network:\n  default: none\n  mtu: 1500\n");
    let doc = inspect(&ns, &b, "bridge");
    assert_eq!(doc["Options"]["com.docker.network.driver.mtu"], "1500");
    let c = sleeper(&ns, &b, "box", "bridge");
    assert_eq!(container_mtu(pid(&b, &c), "eth0"), 1500);
    assert_eq!(link_mtu(&ns, "berth0"), 1500);
    ns.ok(&b, &["rm", "-f", "box"]);
    b.set_config(harness::OFF_THE_HOST_NETWORK);
}

#[test]
fn inspect_none_and_host_list_their_containers() {
    let ns = NetNs::new();
    let b = Berth::new();
    let lone = sleeper(&ns, &b, "lone", "none");
    let hosted = sleeper(&ns, &b, "hosted", "host");
    let none = inspect(&ns, &b, "none");
    let members = none["Containers"].as_object().expect("Containers");
    assert_eq!(members.len(), 1, "{none}");
    assert_eq!(members[&lone]["Name"], "lone");
    assert_eq!(members[&lone]["IPv4Address"], "");
    assert_eq!(
        members[&lone]["EndpointID"].as_str().map(str::len),
        Some(64),
        "{none}"
    );
    let host = inspect(&ns, &b, "host");
    let members = host["Containers"].as_object().expect("Containers");
    assert_eq!(members.len(), 1, "{host}");
    assert_eq!(members[&hosted]["Name"], "hosted");
    ns.ok(&b, &["rm", "-f", "lone", "hosted"]);
    let none = inspect(&ns, &b, "none");
    assert_eq!(none["Containers"].as_object().map(|m| m.len()), Some(0));
}
