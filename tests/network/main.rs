//! Networking as a user sees it (root only; each test in a network namespace of its own):
//! published ports, names on user networks, round-robin aliases, connect/disconnect, the
//! host and none networks, cleanup, and bad input.

#[path = "../common/container_harness.rs"]
mod harness;
mod modes_and_failures;
#[path = "../common/netns.rs"]
mod netns;

use harness::{Berth, wait_until};
use netns::{NetNs, in_container};
use std::time::Duration;

/// A busybox web server serving `page` on port 80.
fn web(page: &str) -> String {
    format!("mkdir -p /www && echo {page} > /www/index.html && exec httpd -f -p 80 -h /www")
}

fn pid(b: &Berth, id: &str) -> i64 {
    b.state(id)["pid"].as_i64().expect("pid")
}

/// Links berth made for containers and user networks.
fn berth_links(ns: &NetNs) -> Vec<String> {
    ns.links()
        .into_iter()
        .filter(|l| l.starts_with("vb") || l.starts_with("br-"))
        .collect()
}

#[test]
fn published_port_serves_the_page_and_port_lists_it() {
    let ns = NetNs::new();
    let b = Berth::new();
    let id = ns
        .ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                "web",
                "--network",
                "bridge",
                "-p",
                "8080:80",
                "busybox",
                "sh",
                "-c",
                &format!(
                    "mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1M count=8 2>/dev/null && {}",
                    web("hello-from-web")
                ),
            ],
        )
        .trim()
        .to_string();
    let mut page = String::new();
    wait_until(
        "the page on 127.0.0.1:8080",
        Duration::from_secs(10),
        &mut || {
            page = ns
                .host(&["busybox", "wget", "-qO-", "http://127.0.0.1:8080/"])
                .stdout;
            page.contains("hello-from-web")
        },
    );
    // 8 MiB through the proxy arrive intact.
    let copy = b.scratch("dl").join("big");
    let got = ns.host(&[
        "busybox",
        "wget",
        "-qO",
        copy.to_str().expect("utf-8 path"),
        "http://127.0.0.1:8080/big",
    ]);
    assert_eq!(got.code, 0, "{got:?}");
    let sum = |o: harness::Out| {
        o.stdout
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let here = sum(ns.host(&["sha256sum", copy.to_str().expect("utf-8 path")]));
    let there = sum(in_container(pid(&b, &id), &["sha256sum", "/www/big"]));
    assert_eq!(here.len(), 64, "{here}");
    assert_eq!(
        here, there,
        "the file changed on its way through the published port"
    );
    assert_eq!(ns.ok(&b, &["port", "web"]), "80/tcp -> 0.0.0.0:8080\n");
    assert_eq!(ns.ok(&b, &["port", "web", "80/tcp"]), "0.0.0.0:8080\n");
    let ip = ns.ok(
        &b,
        &[
            "inspect",
            "web",
            "--format",
            "{{.NetworkSettings.IPAddress}}",
        ],
    );
    assert!(
        ip.trim().starts_with("172.17."),
        "default bridge address: {ip}"
    );
    let links = in_container(pid(&b, &id), &["ip", "link"]).stdout;
    assert!(
        links.contains("eth0") && links.contains("02:42:ac:11:"),
        "{links}"
    );

    ns.ok(&b, &["rm", "-f", "web"]);
    wait_until("the veth to go", Duration::from_secs(5), &mut || {
        berth_links(&ns).is_empty()
    });
    // (busybox 1.35's `wget -T` crashes whatever happens: `timeout` bounds the wait.)
    let gone = ns.host(&[
        "timeout",
        "2",
        "busybox",
        "wget",
        "-qO-",
        "http://127.0.0.1:8080/",
    ]);
    assert_ne!(gone.code, 0, "the proxy outlived its container: {gone:?}");
    assert!(!gone.stdout.contains("hello-from-web"), "{gone:?}");
}

#[test]
fn containers_on_a_user_network_reach_each_other_by_name() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.77.0.0/16", "app"],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "one",
            "--network",
            "app",
            "busybox",
            "sleep",
            "300",
        ],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "two",
            "--network",
            "app",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let ip = ns.ok(
        &b,
        &[
            "inspect",
            "one",
            "--format",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
        ],
    );
    assert!(
        ip.trim().starts_with("10.77."),
        "inspect IPAddress {ip} not in 10.77.0.0/16"
    );
    let two = b.id_of("two");
    let ping = in_container(pid(&b, &two), &["ping", "-c", "1", "-W", "2", "one"]);
    assert_eq!(ping.code, 0, "two cannot ping one by name: {ping:?}");
    assert!(ping.stdout.contains(ip.trim()), "{ping:?}");
    // Short ids resolve too.
    let short = &b.id_of("one")[..12];
    let ping = in_container(pid(&b, &two), &["ping", "-c", "1", "-W", "2", short]);
    assert_eq!(ping.code, 0, "short id: {ping:?}");
    let inspect = ns.ok(&b, &["network", "inspect", "app"]);
    let doc: serde_json::Value = serde_json::from_str(&inspect).expect("json");
    assert_eq!(doc[0]["IPAM"]["Config"][0]["Subnet"], "10.77.0.0/16");
    assert_eq!(doc[0]["IPAM"]["Config"][0]["Gateway"], "10.77.0.1");
    assert_eq!(doc[0]["Containers"].as_object().map(|m| m.len()), Some(2));

    ns.ok(&b, &["rm", "-f", "one", "two"]);
    ns.ok(&b, &["network", "rm", "app"]);
    assert!(berth_links(&ns).is_empty(), "left: {:?}", berth_links(&ns));
}

#[test]
fn names_do_not_resolve_on_the_default_bridge() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "target",
            "--network",
            "bridge",
            "busybox",
            "sleep",
            "300",
        ],
    );
    // A resolver on the container's own loopback answers nothing, quickly.
    let out = ns.berth(
        &b,
        &[
            "run",
            "--rm",
            "--network",
            "bridge",
            "--dns",
            "127.0.0.1",
            "busybox",
            "ping",
            "-c",
            "1",
            "-W",
            "1",
            "target",
        ],
    );
    assert_ne!(
        out.code, 0,
        "a name resolved on the default bridge: {out:?}"
    );
    assert!(out.stderr.contains("bad address"), "{out:?}");
}

#[test]
fn an_alias_resolves_to_every_server_in_turn() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "search-net"]);
    for (name, page) in [("es1", "page-one"), ("es2", "page-two")] {
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "search-net",
                "--network-alias",
                "search",
                "busybox",
                "sh",
                "-c",
                &web(page),
            ],
        );
    }
    let script =
        "nslookup search; for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://search/; done";
    let mut out = harness::Out {
        code: -1,
        stdout: String::new(),
        stderr: String::new(),
    };
    wait_until("both servers answer", Duration::from_secs(15), &mut || {
        out = ns.berth(
            &b,
            &[
                "run",
                "--rm",
                "--network",
                "search-net",
                "busybox",
                "sh",
                "-c",
                script,
            ],
        );
        out.stdout.contains("page-one") && out.stdout.contains("page-two")
    });
    let ips: Vec<String> = ["es1", "es2"]
        .iter()
        .map(|n| {
            ns.ok(
                &b,
                &[
                    "inspect",
                    n,
                    "--format",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                ],
            )
            .trim()
            .to_string()
        })
        .collect();
    for ip in &ips {
        assert!(
            out.stdout.contains(&format!("Address: {ip}")),
            "nslookup lacks {ip}: {out:?}"
        );
    }
    let served = out.stdout.matches("page-").count();
    assert_eq!(served, 10, "{out:?}");
}
