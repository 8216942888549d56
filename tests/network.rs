//! Networking as a user sees it (root only; each test in a network namespace of its own):
//! published ports, names on user networks, round-robin aliases, connect/disconnect, the
//! host and none networks, cleanup, and bad input.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
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

#[test]
fn connect_adds_an_interface_and_names_disconnect_removes_them() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "front"]);
    ns.ok(&b, &["network", "create", "back"]);
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "client",
            "--network",
            "front",
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
            "db",
            "--network",
            "back",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let client = pid(&b, &b.id_of("client"));
    let before = in_container(client, &["ping", "-c", "1", "-W", "1", "db"]);
    assert_ne!(before.code, 0, "db resolved before connect: {before:?}");

    ns.ok(
        &b,
        &["network", "connect", "--alias", "cache", "back", "client"],
    );
    let links = in_container(client, &["ip", "addr"]).stdout;
    assert!(
        links.contains("eth1") && links.contains("172.19."),
        "{links}"
    );
    // Its /etc/hosts now has its address on the new network too, as Docker writes it.
    let back_ip = ns.ok(
        &b,
        &[
            "inspect",
            "client",
            "--format",
            "{{(index .NetworkSettings.Networks \"back\").IPAddress}}",
        ],
    );
    let back_ip = back_ip.trim().to_string();
    assert!(back_ip.starts_with("172.19."), "{back_ip}");
    let client_id = b.id_of("client");
    let host_line = format!("{back_ip}\t{}\n", &client_id[..12]);
    let hosts = ns.ok(&b, &["exec", "client", "cat", "/etc/hosts"]);
    assert!(hosts.contains(&host_line), "{hosts}");
    let after = in_container(client, &["ping", "-c", "1", "-W", "2", "db"]);
    assert_eq!(
        after.code, 0,
        "db does not resolve after connect: {after:?}"
    );
    let twice = ns.berth(&b, &["network", "connect", "back", "client"]);
    assert_ne!(twice.code, 0);
    assert_eq!(twice.stderr.lines().count(), 1, "{twice:?}");
    assert!(twice.stderr.contains("already connected"), "{twice:?}");
    // The alias given at connect resolves for others on that network.
    let db = pid(&b, &b.id_of("db"));
    assert_eq!(
        in_container(db, &["ping", "-c", "1", "-W", "2", "cache"]).code,
        0
    );

    ns.ok(&b, &["network", "disconnect", "back", "client"]);
    let links = in_container(client, &["ip", "link"]).stdout;
    assert!(!links.contains("eth1"), "{links}");
    let hosts = ns.ok(&b, &["exec", "client", "cat", "/etc/hosts"]);
    assert!(!hosts.contains(&back_ip), "{hosts}");
    assert!(hosts.contains("172.18."), "its own address stays: {hosts}");
    let gone = in_container(client, &["nslookup", "db"]);
    assert!(
        !gone.stdout.contains("Address: 172.19."),
        "db still resolves: {gone:?}"
    );
}

#[test]
fn host_network_sees_the_namespace_interfaces_and_none_only_loopback() {
    let ns = NetNs::new();
    let b = Berth::new();
    let dummy = ns.host(&[
        "ip",
        "link",
        "add",
        "hostdummy0",
        "type",
        "veth",
        "peer",
        "name",
        "hostdummy1",
    ]);
    assert_eq!(dummy.code, 0, "{dummy:?}");
    let host = ns.ok(
        &b,
        &["run", "--rm", "--network", "host", "busybox", "ip", "link"],
    );
    assert!(host.contains("hostdummy0"), "{host}");
    let none = ns.ok(
        &b,
        &["run", "--rm", "--network", "none", "busybox", "ip", "link"],
    );
    let names: Vec<&str> = none
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(names.len(), 1, "{none}");
    assert!(names[0].contains(": lo:"), "{none}");
}

#[test]
fn bad_input_is_one_error_line_and_makes_nothing() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.9.0.0/16", "taken"],
    );
    let before = ns.ok(&b, &["network", "ls", "-q"]);
    for args in [
        &["network", "create", "--subnet", "10.9.0.0/33", "x1"][..],
        &["network", "create", "--subnet", "10.9.5.0/24", "x2"],
        &[
            "network",
            "create",
            "--subnet",
            "10.10.0.0/16",
            "--gateway",
            "10.11.0.1",
            "x3",
        ],
        &["network", "create", "taken"],
        &["network", "rm", "bridge"],
    ] {
        let o = ns.berth(&b, args);
        assert_ne!(o.code, 0, "{args:?} succeeded");
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}: {o:?}");
    }
    assert_eq!(ns.ok(&b, &["network", "ls", "-q"]), before);
    assert_eq!(
        berth_links(&ns).len(),
        1,
        "only the bridge of 'taken': {:?}",
        berth_links(&ns)
    );

    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "p1",
            "--network",
            "taken",
            "-p",
            "9090:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let containers = b.container_ids().len();
    let busy = ns.berth(
        &b,
        &[
            "run",
            "-d",
            "--network",
            "taken",
            "-p",
            "9090:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
    assert_ne!(busy.code, 0);
    assert_eq!(busy.stderr.lines().count(), 1, "{busy:?}");
    assert!(busy.stderr.contains("already allocated"), "{busy:?}");
    assert_eq!(
        b.container_ids().len(),
        containers,
        "a container was left half-made"
    );

    let rm = ns.berth(&b, &["network", "rm", "taken"]);
    assert_ne!(rm.code, 0);
    assert_eq!(rm.stderr.lines().count(), 1, "{rm:?}");
    ns.ok(&b, &["rm", "-f", "p1"]);
    ns.ok(&b, &["network", "rm", "taken"]);
    assert!(berth_links(&ns).is_empty(), "left: {:?}", berth_links(&ns));
}

#[test]
fn a_killed_shim_leaves_no_veth_or_proxy() {
    let ns = NetNs::new();
    let b = Berth::new();
    let id = ns
        .ok(
            &b,
            &[
                "run",
                "-d",
                "--network",
                "bridge",
                "-p",
                "8181:80",
                "busybox",
                "sh",
                "-c",
                &web("x"),
            ],
        )
        .trim()
        .to_string();
    let shim = b.state(&id)["shim_pid"].as_i64().expect("shim pid") as i32;
    assert!(shim > 1, "no shim pid in {:?}", b.state(&id));
    // SAFETY: kill(2) on this test's own container's shim.
    unsafe { libc::kill(shim, libc::SIGKILL) };
    wait_until("the veth to go", Duration::from_secs(10), &mut || {
        ns.ok(&b, &["ps", "-a"]);
        berth_links(&ns).is_empty()
    });
    // The port is free again: a new container can publish it.
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--network",
            "bridge",
            "-p",
            "8181:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
}
