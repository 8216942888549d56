//! README's first command, `scripts/demo`, set up without the dashboard (root only; in a
//! network namespace of the test's own, with this build's binary instead of a release
//! build): the notes' network chapter is there at first sight — a published port on the
//! default bridge answers, and the client on the user network reaches both replicas
//! behind one alias, round robin.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;
use std::time::Duration;

const DEMO_CONTAINERS: [&str; 6] = [
    "ticker",
    "worker",
    "web",
    "replica-1",
    "replica-2",
    "client",
];

/// Removes the demo's containers and network inside the namespace, also when the test fails.
struct Cleanup<'a> {
    ns: &'a NetNs,
    b: &'a Berth,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let mut args = vec!["rm", "-f"];
        args.extend(DEMO_CONTAINERS);
        self.ns.berth(self.b, &args);
        self.ns.berth(self.b, &["network", "rm", "demo-net"]);
    }
}

#[test]
fn the_demo_shows_the_network_chapter() {
    let ns = NetNs::new();
    let b = Berth::empty();
    let _cleanup = Cleanup { ns: &ns, b: &b };
    let config_home = b.scratch("xdg");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/demo");
    let env = [
        format!("BERTH_BIN={}", env!("CARGO_BIN_EXE_berth")),
        format!("BERTH_ROOT={}", b.root().display()),
        format!("XDG_CONFIG_HOME={}", config_home.display()),
        "DEMO_NO_DASHBOARD=1".to_string(),
    ];
    let mut argv: Vec<&str> = vec!["env"];
    argv.extend(env.iter().map(String::as_str));
    argv.push(script);
    let out = ns.host(&argv);
    assert_eq!(out.code, 0, "scripts/demo failed: {out:?}");

    let running = ns.ok(&b, &["ps", "--format", "{{.Names}} {{.Networks}}"]);
    for name in DEMO_CONTAINERS {
        assert!(
            running.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} is not running: {running}"
        );
    }
    assert!(running.contains("web bridge"), "{running}");
    assert!(running.contains("client demo-net"), "{running}");

    // The published port on the default bridge, from the namespace's loopback.
    let page = ns.host(&[
        "timeout",
        "10",
        harness::BUSYBOX,
        "wget",
        "-q",
        "-O",
        "-",
        "http://127.0.0.1:8080/",
    ]);
    assert_eq!(page.code, 0, "no page on 127.0.0.1:8080: {page:?}");
    assert!(page.stdout.contains("<title>"), "{page:?}");

    // The client fetches http://shop/ every two seconds: both replicas answer in turn.
    b.wait_until(
        "the client got answers from both replicas",
        Duration::from_secs(30),
        || {
            let logs = ns.berth(&b, &["logs", "client"]).stdout;
            logs.contains("200\u{1b}[0m from replica-1")
                && logs.contains("200\u{1b}[0m from replica-2")
        },
    );
    let inspect = ns.ok(&b, &["network", "inspect", "demo-net"]);
    for name in ["replica-1", "replica-2", "client"] {
        assert!(inspect.contains(name), "{name} not on demo-net: {inspect}");
    }
}
