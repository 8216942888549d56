//! Docker's default network where a learner starts: containers run without `--network`
//! join `bridge` (`berth0`, 172.17.0.0/16). Root only; every test runs its berth commands
//! in a network namespace of its own, with no config file (Docker's defaults).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::{Berth, wait_until};
use netns::NetNs;
use std::time::Duration;

const PAGE: &str = "hello-default-net";

/// A busybox httpd serving [`PAGE`] on port 80.
fn web() -> String {
    format!("mkdir -p /www && echo {PAGE} > /www/index.html && exec httpd -f -p 80 -h /www")
}

/// A root with Docker's defaults, used only inside `ns`.
fn docker_defaults() -> (NetNs, Berth) {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    (ns, b)
}

fn ip_of(ns: &NetNs, b: &Berth, name: &str) -> String {
    ns.ok(
        b,
        &[
            "inspect",
            "--format",
            "{{.NetworkSettings.IPAddress}}",
            name,
        ],
    )
    .trim()
    .to_string()
}

fn get(ns: &NetNs, url: &str) -> String {
    // (busybox wget's own -T crashes here: `timeout` bounds a request nobody answers)
    ns.host(&["timeout", "5", "busybox", "wget", "-qO-", url])
        .stdout
}

#[test]
fn a_container_without_network_joins_bridge_and_a_sibling_reaches_it_by_ip() {
    let (ns, b) = docker_defaults();
    let id = ns
        .ok(
            &b,
            &["run", "-d", "--name", "srv", "busybox", "sh", "-c", &web()],
        )
        .trim()
        .to_string();
    assert_eq!(b.config(&id)["network_mode"], "bridge");
    let ip = ip_of(&ns, &b, "srv");
    assert!(
        ip.starts_with("172.17."),
        "inspect shows no 172.17 address: {ip:?}"
    );
    assert!(
        ns.links().iter().any(|l| l == "berth0"),
        "no berth0 in {:?}",
        ns.links()
    );
    let gw = ns
        .ok(
            &b,
            &[
                "network",
                "inspect",
                "--format",
                "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}",
                "bridge",
            ],
        )
        .trim()
        .to_string();
    assert_eq!(gw, "172.17.0.0/16 172.17.0.1");

    // A sibling, also without --network, fetches the page by address.
    let url = format!("http://{ip}/");
    let mut page = String::new();
    wait_until(
        "the sibling to get the page",
        Duration::from_secs(10),
        &mut || {
            page = ns
                .berth(
                    &b,
                    &[
                        "run", "--rm", "busybox", "timeout", "3", "wget", "-qO-", &url,
                    ],
                )
                .stdout;
            page.contains(PAGE)
        },
    );

    // `network inspect bridge` lists it; `network connect` works on it.
    let listed = ns.ok(
        &b,
        &[
            "network",
            "inspect",
            "--format",
            "{{range .Containers}}{{.Name}} {{end}}",
            "bridge",
        ],
    );
    assert!(listed.split_whitespace().any(|n| n == "srv"), "{listed}");
    ns.ok(&b, &["network", "create", "extra"]);
    ns.ok(&b, &["network", "connect", "extra", "srv"]);
    let nets = ns.ok(
        &b,
        &[
            "inspect",
            "--format",
            "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
            "srv",
        ],
    );
    let nets: Vec<&str> = nets.split_whitespace().collect();
    assert_eq!(nets, ["bridge", "extra"]);
    ns.ok(&b, &["rm", "-f", "srv"]);
    ns.ok(&b, &["network", "rm", "extra"]);
}

#[test]
fn a_port_published_on_the_default_network_serves_the_page() {
    let (ns, b) = docker_defaults();
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "web",
            "-p",
            "8080:80",
            "busybox",
            "sh",
            "-c",
            &web(),
        ],
    );
    let mut page = String::new();
    wait_until(
        "the page on 127.0.0.1:8080",
        Duration::from_secs(10),
        &mut || {
            page = get(&ns, "http://127.0.0.1:8080/");
            page.contains(PAGE)
        },
    );
    let port = ns.ok(&b, &["port", "web"]);
    assert!(port.contains("80/tcp -> 0.0.0.0:8080"), "{port}");
}

#[test]
fn publishing_with_network_none_is_refused_and_makes_nothing() {
    let (ns, b) = docker_defaults();
    for flags in [&["-p", "8080:80"][..], &["-P"]] {
        let mut args = vec!["run", "-d", "--network", "none"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&["busybox", "sleep", "300"]);
        let o = ns.berth(&b, &args);
        assert_eq!(o.code, 125, "{args:?}: {o:?}");
        assert_eq!(
            o.stderr.trim_end(),
            "berth: conflicting options: port publishing and the container type network mode.",
            "{o:?}"
        );
        assert!(o.stdout.is_empty(), "{o:?}");
        assert!(b.container_ids().is_empty(), "a container was left");
    }
    let o = ns.berth(&b, &["create", "--network", "none", "-p", "80", "busybox"]);
    assert_eq!(o.code, 125, "{o:?}");
    assert!(b.container_ids().is_empty(), "a container was left");
}

#[test]
fn publishing_with_network_host_warns_and_runs() {
    let (ns, b) = docker_defaults();
    let o = ns.berth(
        &b,
        &[
            "run",
            "--rm",
            "--network",
            "host",
            "-p",
            "8080:80",
            "busybox",
            "echo",
            "ran",
        ],
    );
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(o.stdout, "ran\n");
    assert_eq!(
        o.stderr,
        "WARNING: Published ports are discarded when using host network mode\n"
    );
}

#[test]
fn network_default_none_in_the_config_keeps_containers_on_loopback() {
    let (ns, b) = docker_defaults();
    b.set_config(harness::OFF_THE_HOST_NETWORK);
    let links = ns.ok(&b, &["run", "--rm", "busybox", "ip", "-o", "link"]);
    assert_eq!(links.lines().count(), 1, "{links}");
    assert!(links.contains(": lo:"), "{links}");
    assert!(
        !ns.links().iter().any(|l| l == "berth0"),
        "berth0 made: {:?}",
        ns.links()
    );
}

#[test]
fn chains_deleted_by_hand_are_remade_by_the_next_start() {
    let (ns, b) = docker_defaults();
    ns.ok(&b, &["run", "--rm", "busybox", "true"]);
    let chains = |ns: &NetNs| ns.host(&["nft", "list", "table", "ip", "berth"]).stdout;
    assert!(chains(&ns).contains("post-berth0"), "{}", chains(&ns));
    // The bridge stays; its chains go (someone flushed the ruleset).
    let del = ns.host(&["nft", "delete", "table", "ip", "berth"]);
    assert_eq!(del.code, 0, "{del:?}");
    ns.ok(&b, &["run", "--rm", "busybox", "true"]);
    let t = chains(&ns);
    assert!(
        t.contains("post-berth0") && t.contains("masquerade"),
        "chains not remade: {t}"
    );
}

#[test]
fn beside_dockers_docker0_the_default_bridge_takes_another_subnet() {
    let (ns, b) = docker_defaults();
    // Docker's bridge, as dockerd leaves it on a host that runs both engines.
    for argv in [
        &["ip", "link", "add", "docker0", "type", "bridge"][..],
        &["ip", "addr", "add", "172.17.0.1/16", "dev", "docker0"],
        &["ip", "link", "set", "docker0", "up"],
        &["ip", "link", "add", "br-0123456789ab", "type", "bridge"],
        &[
            "ip",
            "addr",
            "add",
            "172.18.0.1/16",
            "dev",
            "br-0123456789ab",
        ],
        &["ip", "link", "set", "br-0123456789ab", "up"],
    ] {
        let out = ns.host(argv);
        assert_eq!(out.code, 0, "{argv:?}: {out:?}");
    }
    let subnet = ns.ok(
        &b,
        &[
            "network",
            "inspect",
            "--format",
            "{{(index .IPAM.Config 0).Subnet}}",
            "bridge",
        ],
    );
    // (br-0123456789ab looks like berth's own name but no record has it: still in use.)
    let subnet = subnet.trim().to_string();
    assert!(
        subnet != "172.17.0.0/16" && subnet != "172.18.0.0/16",
        "the default bridge overlaps Docker's: {subnet}"
    );
    let id = ns
        .ok(
            &b,
            &["run", "-d", "--name", "srv", "busybox", "sh", "-c", &web()],
        )
        .trim()
        .to_string();
    let ip = ip_of(&ns, &b, "srv");
    let prefix = subnet.trim_end_matches(".0.0/16");
    assert!(
        ip.starts_with(&format!("{prefix}.")),
        "{ip} not in {subnet}"
    );
    let got = wait_until_page(&ns, &b, &ip);
    assert!(got.contains(PAGE), "{got}");
    // A user network skips both Docker's subnets and berth's default bridge.
    ns.ok(&b, &["network", "create", "front"]);
    let front = ns.ok(
        &b,
        &[
            "network",
            "inspect",
            "--format",
            "{{(index .IPAM.Config 0).Subnet}}",
            "front",
        ],
    );
    let front = front.trim();
    assert!(
        ![subnet.as_str(), "172.17.0.0/16", "172.18.0.0/16"].contains(&front),
        "{front}"
    );
    ns.ok(&b, &["rm", "-f", &id]);
    ns.ok(&b, &["network", "rm", "front"]);
}

/// The page of the httpd at `ip`, fetched from a sibling container on the default bridge.
fn wait_until_page(ns: &NetNs, b: &Berth, ip: &str) -> String {
    let url = format!("http://{ip}/");
    let mut page = String::new();
    wait_until(
        "the sibling fetches the page",
        Duration::from_secs(10),
        &mut || {
            page = ns
                .berth(
                    b,
                    &[
                        "run", "--rm", "busybox", "timeout", "3", "wget", "-qO-", &url,
                    ],
                )
                .stdout;
            page.contains(PAGE)
        },
    );
    page
}
