//! A host whose own firewall drops forwarded traffic (root only): Docker's `iptables -P
//! FORWARD DROP` with `br_netfilter`, ufw's chains, firewalld's reject. berth inserts
//! tagged accept rules for its bridges there, so containers reach each other, the outside
//! and published ports; deleting those rules cuts the traffic (the tests can fail); `network
//! rm` takes them away and leaves every other rule as it was. On the legacy iptables
//! backend berth changes nothing and prints the rules to add.
//!
//! Each test runs in its own network namespace ("the host"); "outside" is a second one
//! linked by a veth pair, with a web server. Test tools set up the firewalls with `nft`
//! and `iptables`; berth itself uses netlink.

#[path = "../common/container_harness.rs"]
mod harness;
mod host_firewalls;
#[path = "../common/netns.rs"]
mod netns;

use harness::{Berth, Out};
use netns::NetNs;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const HOST_IP: &str = "10.251.0.1";
const OUTSIDE_IP: &str = "10.251.0.2";

fn ok(o: Out) -> String {
    assert_eq!(o.code, 0, "{o:?}");
    o.stdout
}

/// The test's host namespace, with bridged traffic going through iptables' hooks as on a
/// host where Docker loaded `br_netfilter`.
fn host_ns() -> NetNs {
    let ns = NetNs::new();
    const SYSCTL: &str = "/proc/sys/net/bridge/bridge-nf-call-iptables";
    if ns.host(&["test", "-e", SYSCTL]).code != 0 {
        let _ = Command::new("modprobe").arg("br_netfilter").status();
    }
    ok(ns.host(&["sh", "-c", &format!("echo 1 > {SYSCTL}")]));
    assert_eq!(
        ok(ns.host(&["cat", SYSCTL])).trim(),
        "1",
        "{SYSCTL} per namespace"
    );
    ns
}

/// A web server in a namespace of its own, routed from the host namespace over a veth
/// pair; killed on drop.
struct Outside {
    server: Child,
    ns: NetNs,
}

impl Outside {
    fn new(host: &NetNs, b: &Berth) -> Outside {
        let ns = NetNs::new();
        ok(host.host(&[
            "ip", "link", "add", "xo0", "type", "veth", "peer", "name", "xi0",
        ]));
        ok(host.host(&["ip", "link", "set", "xi0", "netns", &ns.name]));
        ok(host.host(&["ip", "addr", "add", &format!("{HOST_IP}/24"), "dev", "xo0"]));
        ok(host.host(&["ip", "link", "set", "xo0", "up"]));
        ok(host.host(&["ip", "route", "add", "default", "via", OUTSIDE_IP]));
        ok(ns.host(&[
            "ip",
            "addr",
            "add",
            &format!("{OUTSIDE_IP}/24"),
            "dev",
            "xi0",
        ]));
        ok(ns.host(&["ip", "link", "set", "xi0", "up"]));
        let www = b.scratch("outside-www");
        std::fs::write(www.join("index.html"), "outside-page\n").expect("write page");
        let server = Command::new("nsenter")
            .arg(format!("--net={}", ns.path().display()))
            .args(["busybox", "httpd", "-f", "-p"])
            .arg(format!("{OUTSIDE_IP}:8000"))
            .arg("-h")
            .arg(&www)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("start the outside server");
        let o = Outside { server, ns };
        harness::wait_until("the outside server", Duration::from_secs(5), &mut || {
            o.ns.host(&["busybox", "wget", "-qO-", &o.url()])
                .stdout
                .contains("outside-page")
        });
        o
    }

    fn url(&self) -> String {
        format!("http://{OUTSIDE_IP}:8000/")
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `wget -qO- URL` from running container `client` (bounded by `timeout`, which must not
/// be pid 1); its output when it succeeded. (An existing container: starting a new one
/// would put berth's rules back.)
fn fetch(ns: &NetNs, b: &Berth, client: &str, url: &str) -> Option<String> {
    let o = ns.berth(
        b,
        &[
            "exec",
            client,
            "sh",
            "-c",
            &format!("timeout 3 wget -qO- {url}; exit $?"),
        ],
    );
    (o.code == 0).then_some(o.stdout)
}

/// Starts a web server container `name` on `net` whose page is `name-page`; returns its
/// address on that network.
fn web(ns: &NetNs, b: &Berth, net: &str, name: &str, extra: &[&str]) -> String {
    let script = format!(
        "mkdir -p /www && echo {name}-page > /www/index.html && exec httpd -f -p 80 -h /www"
    );
    let mut args = vec!["run", "-d", "--name", name, "--network", net];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["busybox", "sh", "-c", &script]);
    ns.ok(b, &args);
    let fmt = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}";
    ns.ok(b, &["inspect", "-f", fmt, name]).trim().to_string()
}

/// What a user sees work on a host whose firewall drops forwarded traffic: two containers
/// on a user network by name, two on the default bridge by address, a published port from
/// outside, and the outside from a container. `cut` deletes berth's rules from the host's
/// firewall; after it the same traffic must fail (the rules are what lets it through), and
/// a new container start on the network puts them back.
fn traffic_flows(ns: &NetNs, b: &Berth, outside: &Outside, cut: &dyn Fn()) {
    for (name, net) in [("client1", "app"), ("client0", "bridge")] {
        ns.ok(
            b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                net,
                "busybox",
                "sleep",
                "600",
            ],
        );
    }
    web(ns, b, "app", "web1", &["-p", "8080:80"]);
    let by_name = "http://web1/";
    let mut got = None;
    harness::wait_until(
        "web1 by name from app",
        Duration::from_secs(10),
        &mut || {
            got = fetch(ns, b, "client1", by_name);
            got.is_some()
        },
    );
    assert!(got.unwrap_or_default().contains("web1-page"));

    let ip = web(ns, b, "bridge", "web0", &[]);
    let sibling = format!("http://{ip}/");
    let got = fetch(ns, b, "client0", &sibling);
    assert!(
        got.as_deref().is_some_and(|p| p.contains("web0-page")),
        "a sibling on the default bridge by address: {got:?}"
    );

    let published = format!("http://{HOST_IP}:8080/");
    let from_outside = outside
        .ns
        .host(&["busybox", "timeout", "5", "wget", "-qO-", &published]);
    assert!(
        from_outside.stdout.contains("web1-page"),
        "the published port from outside: {from_outside:?}"
    );
    let from_host = ns.host(&[
        "busybox",
        "timeout",
        "5",
        "wget",
        "-qO-",
        "http://127.0.0.1:8080/",
    ]);
    assert!(
        from_host.stdout.contains("web1-page"),
        "the published port from the host's loopback: {from_host:?}"
    );
    for client in ["client1", "client0"] {
        let got = fetch(ns, b, client, &outside.url());
        assert!(
            got.as_deref().is_some_and(|p| p.contains("outside-page")),
            "the outside from '{client}': {got:?}"
        );
    }

    cut();
    assert_eq!(
        fetch(ns, b, "client1", by_name),
        None,
        "without berth's rules the host's firewall drops what crosses the bridge"
    );
    assert_eq!(
        fetch(ns, b, "client0", &sibling),
        None,
        "{sibling} without berth's rules"
    );
    assert_eq!(
        fetch(ns, b, "client1", &outside.url()),
        None,
        "outside without berth's rules"
    );
    // A container start checks its network's rules and puts them back.
    ns.ok(b, &["restart", "-t", "0", "web0"]);
    ns.ok(
        b,
        &[
            "run",
            "-d",
            "--name",
            "later",
            "--network",
            "app",
            "busybox",
            "sleep",
            "600",
        ],
    );
    let mut back = None;
    harness::wait_until(
        "web1 again after a restart",
        Duration::from_secs(10),
        &mut || {
            back = fetch(ns, b, "client1", by_name);
            back.is_some()
        },
    );
    let got = fetch(ns, b, "client0", &sibling);
    assert!(
        got.is_some_and(|p| p.contains("web0-page")),
        "web0 after a restart"
    );
    ns.ok(
        b,
        &["rm", "-f", "web1", "web0", "client1", "client0", "later"],
    );
}

/// The rules of `chain` as `nft -a` lists them (with their handles, without counters).
fn nft_rules(ns: &NetNs, family: &str, table: &str, chain: &str) -> Vec<String> {
    ok(ns.host(&["nft", "-a", "list", "chain", family, table, chain]))
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("# handle") && !l.starts_with("chain "))
        .map(strip_counters)
        .collect()
}

/// `counter packets N bytes M` -> `counter`.
fn strip_counters(l: &str) -> String {
    let w: Vec<&str> = l.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if w[i] == "packets" || w[i] == "bytes" {
            i += 2;
            continue;
        }
        out.push(w[i]);
        i += 1;
    }
    out.join(" ")
}

/// Deletes, with `nft`, the rules of `chain` tagged by berth.
fn delete_berths_rules(ns: &NetNs, family: &str, table: &str, chain: &str) {
    for r in nft_rules(ns, family, table, chain) {
        if r.contains("\"berth:") {
            let handle = r.rsplit(' ').next().expect("handle");
            ok(ns.host(&[
                "nft", "delete", "rule", family, table, chain, "handle", handle,
            ]));
        }
    }
}

fn bridge_of(id: &str) -> String {
    format!("br-{}", &id.trim()[..12])
}

#[test]
fn docker_forward_drop_lets_berths_bridges_through_and_network_rm_leaves_the_rest() {
    let ns = host_ns();
    let b = Berth::new();
    assert!(
        ok(ns.host(&["iptables", "-V"])).contains("nf_tables"),
        "the nft backend of iptables"
    );
    // Docker's state: FORWARD policy DROP, a DOCKER-USER chain jumped to first, an accept
    // for its own bridge.
    ok(ns.host(&["iptables", "-P", "FORWARD", "DROP"]));
    ok(ns.host(&["iptables", "-N", "DOCKER-USER"]));
    ok(ns.host(&[
        "iptables",
        "-A",
        "DOCKER-USER",
        "-s",
        "192.0.2.1",
        "-j",
        "DROP",
    ]));
    ok(ns.host(&["iptables", "-A", "DOCKER-USER", "-j", "RETURN"]));
    ok(ns.host(&["iptables", "-A", "FORWARD", "-j", "DOCKER-USER"]));
    ok(ns.host(&["iptables", "-A", "FORWARD", "-o", "docker0", "-j", "ACCEPT"]));
    let before = ok(ns.host(&["iptables", "-S"]));
    let outside = Outside::new(&ns, &b);

    let created = ns.berth(
        &b,
        &["network", "create", "--subnet", "10.88.0.0/16", "app"],
    );
    assert_eq!(created.code, 0, "{created:?}");
    assert!(!created.stderr.contains("WARNING"), "{created:?}");
    let br = bridge_of(&created.stdout);
    let listed = ok(ns.host(&["iptables", "-L", "FORWARD", "-v", "-n"]));
    assert!(
        listed.contains(&format!("/* berth:{br} */")),
        "iptables-nft lists berth's rules: {listed}"
    );
    let rules = ok(ns.host(&["iptables", "-S", "FORWARD"]));
    assert_eq!(
        rules.lines().collect::<Vec<_>>(),
        [
            "-P FORWARD DROP".to_string(),
            "-A FORWARD -j DOCKER-USER".to_string(),
            format!("-A FORWARD -i {br} -m comment --comment \"berth:{br}\" -j ACCEPT"),
            format!(
                "-A FORWARD -o {br} -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"berth:{br}\" -j ACCEPT"
            ),
            "-A FORWARD -o docker0 -j ACCEPT".to_string(),
        ],
        "inserted right after the jump to DOCKER-USER (the user's rules still apply), \
         above the policy's drop: {rules}"
    );

    traffic_flows(&ns, &b, &outside, &|| {
        delete_berths_rules(&ns, "ip", "filter", "FORWARD")
    });
    assert!(
        ok(ns.host(&["iptables", "-S", "FORWARD"])).contains("berth:berth0"),
        "the default bridge got its rules at its first container's start"
    );

    // A bridge gone behind berth's back: the next network operation drops its rules.
    let ghost = bridge_of(&ns.ok(&b, &["network", "create", "ghost"]));
    assert!(ok(ns.host(&["iptables", "-S", "FORWARD"])).contains(&format!("berth:{ghost}")));
    ok(ns.host(&["ip", "link", "del", &ghost]));
    ns.ok(&b, &["network", "create", "later"]);
    let now = ok(ns.host(&["iptables", "-S", "FORWARD"]));
    assert!(
        !now.contains(&ghost) && now.contains(&br),
        "stale rules only go: {now}"
    );
    ns.ok(&b, &["network", "rm", "ghost", "later"]);

    ns.ok(&b, &["network", "rm", "app"]);
    let after = ok(ns.host(&["iptables", "-S"]));
    assert!(
        !after.contains(&br),
        "the network's rules are gone: {after}"
    );
    let others: Vec<&str> = after.lines().filter(|l| !l.contains("berth:")).collect();
    assert_eq!(
        others,
        before.lines().collect::<Vec<_>>(),
        "every other rule untouched, in order"
    );
}
