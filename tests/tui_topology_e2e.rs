//! End-to-end: the Topology pane in a real 80x24 terminal (tmux), in a network namespace
//! of the test's own: two user networks, a container on both (`network connect`) that
//! publishes a port, another on one of them. `:topology` and the `m` key both draw the
//! two networks with their subnets, the container joined to both with both addresses and
//! the port on the host line, live rx/tx on each link; enter on the container opens its
//! log.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;
#[path = "common/tmux.rs"]
mod tmux;

use harness::Berth;
use netns::NetNs;
use std::time::Duration;
use tmux::Tmux;

const WAIT: Duration = Duration::from_secs(15);

/// The address of container `name` on network `net` (`network inspect`'s `IPv4Address`,
/// without the prefix).
fn address(ns: &NetNs, b: &Berth, net: &str, name: &str) -> String {
    let out = ns.ok(b, &["network", "inspect", net]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("network inspect JSON");
    let containers = doc[0]["Containers"].as_object().expect("Containers");
    let c = containers
        .values()
        .find(|c| c["Name"] == name)
        .unwrap_or_else(|| panic!("{name} not on {net}: {out}"));
    let cidr = c["IPv4Address"].as_str().expect("IPv4Address");
    cidr.split('/').next().expect("address").to_string()
}

/// The screen's row that has every one of `has`.
fn row<'a>(screen: &'a str, has: &[&str]) -> Option<&'a str> {
    screen.lines().find(|l| has.iter().all(|h| l.contains(h)))
}

#[test]
fn topology_draws_two_networks_and_a_container_on_both() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.91.0.0/16", "front"],
    );
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.92.0.0/16", "back"],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "web",
            "--network",
            "front",
            "-p",
            "8080:80",
            "busybox",
            "sh",
            "-c",
            "echo hello-from-web; exec sleep 600",
        ],
    );
    ns.ok(&b, &["network", "connect", "back", "web"]);
    // Newer than web: first in the list, so web's log is not the one shown at first.
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "db",
            "--network",
            "back",
            "busybox",
            "sleep",
            "600",
        ],
    );
    let web_front = address(&ns, &b, "front", "web");
    let web_back = address(&ns, &b, "back", "web");
    let db_back = address(&ns, &b, "back", "db");

    let d = b.scratch("term");
    let dashboard = b.dashboard_command_via(&d, &format!("nsenter --net={}", ns.path().display()));
    let t = Tmux::start(&d, 80, 24, &dashboard);
    t.wait_for("the container list", WAIT, |s| {
        s.contains("web") && s.contains("db")
    });

    let drawn = |s: &str| {
        s.contains("Topology:")
            && s.contains("front")
            && s.contains("back")
            && s.contains("10.91.0.0/16")
            && s.contains("10.92.0.0/16")
            && s.contains(":8080→web:80")
            && row(s, &["[web]", &web_front, &web_back]).is_some()
            && row(s, &["[db]", &db_back]).is_some()
    };
    // From the palette.
    t.type_text(":topology");
    t.keys(&["Enter"]);
    let s = t.wait_for("the topology from ':topology'", WAIT, drawn);
    let web = row(&s, &["[web]"]).expect("web's row");
    assert_eq!(web.matches('●').count(), 2, "web joined to both:\n{s}");
    assert!(
        s.contains("gw 10.91.0.1") && s.contains("gw 10.92.0.1"),
        "{s}"
    );
    // After two samples, each link's live rates (under its address: there is room).
    let s = t.wait_for("live rx/tx on the links", WAIT, |s| {
        s.matches("B/s ↑").count() >= 3
    });
    // web's two links: both rates on the line under its row.
    let under = s.lines().skip_while(|l| !l.contains("[web]")).nth(1);
    assert_eq!(under.map(|l| l.matches("B/s ↑").count()), Some(2), "{s}");

    // Esc leaves; the key opens it again.
    t.keys(&["Escape"]);
    t.wait_for("the container list again", WAIT, |s| {
        !s.contains("Topology:")
    });
    t.type_text("m");
    t.wait_for("the topology from its key", WAIT, drawn);

    // web is the last container by name: G selects it, enter opens its log.
    t.type_text("G");
    t.keys(&["Enter"]);
    let s = t.wait_for("web's log", WAIT, |s| {
        !s.contains("Topology:") && s.contains("hello-from-web")
    });
    assert!(s.contains("berth logs -f"), "{s}");
    t.type_text("q");
}
