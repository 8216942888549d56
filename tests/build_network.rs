//! `build --network`: where RUN steps run (root only, real containers; `host` shares the
//! namespace berth runs in, which these tests only read).

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build, build_ok, context};
use harness::Berth;

#[test]
fn build_network_sets_where_run_steps_run_and_an_unknown_one_fails() {
    let b = Berth::new();
    let dir = context(
        &b,
        "net",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d ' ' > /ifaces\n",
        )],
    );
    // The default (network 'none' here): loopback only.
    build_ok(&b, &dir, &["-t", "net:none"]);
    assert_eq!(b.ok(&["run", "--rm", "net:none", "cat", "/ifaces"]), "lo\n");
    // --network host: the RUN step sees the interfaces of the namespace berth runs in.
    let host: Vec<String> = std::fs::read_to_string("/proc/net/dev")
        .expect("net/dev")
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next().map(|n| n.trim().to_string()))
        .collect();
    build_ok(
        &b,
        &dir,
        &["--no-cache", "-t", "net:host", "--network", "host"],
    );
    let mut got: Vec<String> = b
        .ok(&["run", "--rm", "net:host", "cat", "/ifaces"])
        .lines()
        .map(str::to_string)
        .collect();
    let mut want = host;
    got.sort();
    want.sort();
    assert_eq!(got, want, "the host's interfaces");
    let out = build(
        &b,
        &dir,
        &["--no-cache", "-t", "net:bad", "--network", "nosuch"],
    );
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("nosuch"), "{out:?}");
    assert!(
        b.run(&["image", "inspect", "net:bad"]).code != 0,
        "no image"
    );
}
