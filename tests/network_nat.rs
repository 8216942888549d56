//! Outbound NAT (root only): a container on a bridge network reaches an address outside
//! its host, and is seen there as the host's address; an `--internal` network cannot.
//!
//! "The host" is the test's own network namespace; "outside" is a second namespace the
//! test makes, linked to the first by a veth pair and used as its default route. No packet
//! leaves the two namespaces. (busybox 1.35's `wget -T` crashes: `timeout` bounds it.)

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;
use std::process::{Child, Command, Stdio};

/// The test namespace's address on the link to outside, and outside's.
const HOST_IP: &str = "10.250.0.1";
const OUTSIDE_IP: &str = "10.250.0.2";

/// A web server in the outside namespace whose /cgi-bin/who answers with the address
/// the request came from; killed on drop.
struct Outside {
    server: Child,
    ns: NetNs,
}

impl Outside {
    fn new(host: &NetNs, b: &Berth) -> Outside {
        let ns = NetNs::new();
        let ok = |o: harness::Out| assert_eq!(o.code, 0, "{o:?}");
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
        let www = b.scratch("www");
        let cgi = www.join("cgi-bin");
        std::fs::create_dir_all(&cgi).expect("cgi dir");
        let script = cgi.join("who");
        std::fs::write(
            &script,
            "#!/bin/busybox sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nfrom=%s\\n' \"$REMOTE_ADDR\"\n",
        )
        .expect("write cgi");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
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
        harness::wait_until(
            "the outside server",
            std::time::Duration::from_secs(5),
            &mut || {
                o.ns.host(&["busybox", "wget", "-qO-", &o.url()])
                    .stdout
                    .contains("from=")
            },
        );
        o
    }

    fn url(&self) -> String {
        format!("http://{OUTSIDE_IP}:8000/cgi-bin/who")
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `nft list table ip berth` in the namespace: what berth's own table holds.
fn berth_table(ns: &NetNs) -> String {
    ns.host(&["nft", "list", "table", "ip", "berth"]).stdout
}

#[test]
fn bridge_containers_reach_outside_masqueraded_and_internal_ones_do_not() {
    let ns = NetNs::new();
    let b = Berth::new();
    let outside = Outside::new(&ns, &b);
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.66.0.0/16", "app"],
    );
    ns.ok(
        &b,
        &[
            "network",
            "create",
            "--internal",
            "--subnet",
            "10.67.0.0/16",
            "sealed",
        ],
    );
    let table = berth_table(&ns);
    assert!(
        table.contains("ip saddr 10.66.0.0/16 oifname != \"br-") && table.contains("masquerade"),
        "the masquerade rule: {table}"
    );
    assert_eq!(
        ns.host(&["cat", "/proc/sys/net/ipv4/ip_forward"])
            .stdout
            .trim(),
        "1"
    );

    let url = outside.url();
    for net in ["app", "bridge"] {
        let got = ns.berth(
            &b,
            &[
                "run",
                "--rm",
                "--network",
                net,
                "busybox",
                "timeout",
                "5",
                "wget",
                "-qO-",
                &url,
            ],
        );
        assert_eq!(
            got.code, 0,
            "a container on '{net}' reaches outside: {got:?}"
        );
        assert_eq!(
            got.stdout.trim(),
            format!("from={HOST_IP}"),
            "outside sees the host's address, not the container's ({net})"
        );
    }

    // Forwarding is on, yet networks stay isolated from each other, as in Docker.
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.69.0.0/16", "other"],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "peer",
            "--network",
            "other",
            "busybox",
            "sh",
            "-c",
            "mkdir -p /www && echo peer-page > /www/index.html && exec httpd -f -p 80 -h /www",
        ],
    );
    let peer_url = "http://10.69.0.2/";
    let mut near = String::new();
    harness::wait_until(
        "peer's page from its own network",
        std::time::Duration::from_secs(10),
        &mut || {
            near = ns
                .berth(
                    &b,
                    &[
                        "run",
                        "--rm",
                        "--network",
                        "other",
                        "busybox",
                        "timeout",
                        "3",
                        "wget",
                        "-qO-",
                        peer_url,
                    ],
                )
                .stdout;
            near.contains("peer-page")
        },
    );
    // (`timeout` must not be the container's pid 1, which ignores its signal.)
    let far = ns.berth(
        &b,
        &[
            "run",
            "--rm",
            "--network",
            "app",
            "busybox",
            "sh",
            "-c",
            &format!("timeout 3 wget -qO- {peer_url}; exit $?"),
        ],
    );
    assert!(
        far.code != 0 && !far.stdout.contains("peer-page"),
        "a container on 'app' reached one on 'other': {far:?}"
    );
    ns.ok(&b, &["rm", "-f", "peer"]);
    ns.ok(&b, &["network", "rm", "other"]);

    let sealed = ns.berth(
        &b,
        &[
            "run",
            "--rm",
            "--network",
            "sealed",
            "busybox",
            "timeout",
            "3",
            "wget",
            "-qO-",
            &url,
        ],
    );
    assert_ne!(sealed.code, 0, "an internal network got out: {sealed:?}");
    // Even with a route out (added from the host: the container lacks CAP_NET_ADMIN), the
    // internal network's traffic is dropped at the host.
    let id = ns
        .ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                "probe",
                "--network",
                "sealed",
                "busybox",
                "sleep",
                "60",
            ],
        )
        .trim()
        .to_string();
    let pid = b.state(&id)["pid"].as_i64().expect("pid");
    let route = netns::in_container(pid, &["ip", "route", "add", "default", "via", "10.67.0.1"]);
    assert_eq!(route.code, 0, "{route:?}");
    let routed = ns.berth(&b, &["exec", "probe", "timeout", "3", "wget", "-qO-", &url]);
    assert_ne!(routed.code, 0, "an internal network got out: {routed:?}");
    assert!(!routed.stdout.contains("from="), "{routed:?}");
    ns.ok(&b, &["rm", "-f", "probe"]);

    // A bridge gone behind berth's back (a crash between the steps of a removal): the
    // next network operation drops its chains; other networks' chains stay.
    let ghost = ns.ok(&b, &["network", "create", "ghost"]);
    let ghost_br = format!("br-{}", &ghost.trim()[..12]);
    assert!(berth_table(&ns).contains(&ghost_br));
    let del = ns.host(&["ip", "link", "del", &ghost_br]);
    assert_eq!(del.code, 0, "{del:?}");
    ns.ok(&b, &["network", "create", "later"]);
    let table = berth_table(&ns);
    assert!(!table.contains(&ghost_br), "stale chains: {table}");
    assert!(table.contains("10.66.0.0/16"), "app's rules stay: {table}");
    ns.ok(&b, &["network", "rm", "ghost", "later"]);

    ns.ok(&b, &["network", "rm", "app", "sealed"]);
    let table = berth_table(&ns);
    assert!(
        !table.contains("chain post-br-") && !table.contains("chain fwd-br-"),
        "the removed networks' chains are gone: {table}"
    );
}
