//! Published ports reached from the host's loopback go through the kernel (a DNAT in
//! berth's nftables table), not through the shim's proxy (root only; each test in a
//! network namespace of its own, where `nft` lists that namespace's tables).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::{Berth, wait_until};
use netns::NetNs;
use std::time::Duration;

const WEB: &str =
    "mkdir -p /www && echo kernel-path > /www/index.html && exec httpd -f -p 80 -h /www";

fn get(ns: &NetNs, port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/");
    // (busybox wget's own -T crashes here: `timeout` bounds a request nobody answers)
    ns.host(&["timeout", "5", "busybox", "wget", "-qO-", &url])
        .stdout
}

fn nft_chain(ns: &NetNs, chain: &str) -> harness::Out {
    ns.host(&["nft", "list", "chain", "ip", "berth", chain])
}

/// Starts `web1` on network `pubnet` with 127.0.0.1:8080 and *:8081 published; returns
/// its id and address once both ports answer.
fn start_web(ns: &NetNs, b: &Berth) -> (String, String) {
    ns.ok(b, &["network", "create", "pubnet"]);
    let id = ns
        .ok(
            b,
            &[
                "run",
                "-d",
                "--name",
                "web1",
                "--network",
                "pubnet",
                "-p",
                "127.0.0.1:8080:80",
                "-p",
                "8081:80",
                "busybox",
                "sh",
                "-c",
                WEB,
            ],
        )
        .trim()
        .to_string();
    let ip = ns
        .ok(
            b,
            &[
                "inspect",
                "web1",
                "--format",
                "{{(index .NetworkSettings.Networks \"pubnet\").IPAddress}}",
            ],
        )
        .trim()
        .to_string();
    wait_until(
        "both published ports to answer",
        Duration::from_secs(10),
        &mut || get(ns, 8080).contains("kernel-path") && get(ns, 8081).contains("kernel-path"),
    );
    (id, ip)
}

#[test]
fn loopback_connections_are_forwarded_by_the_kernel_and_the_rules_go_with_the_container() {
    let ns = NetNs::new();
    let b = Berth::new();
    let (id, ip) = start_web(&ns, &b);
    let chain = format!("pub-{}", &id[..12]);
    let rules = nft_chain(&ns, &chain);
    assert_eq!(rules.code, 0, "{rules:?}");
    for port in [8080, 8081] {
        assert!(
            rules
                .stdout
                .contains(&format!("tcp dport {port} dnat to {ip}:80")),
            "a DNAT of 127.0.0.1:{port}: {}",
            rules.stdout
        );
    }

    // With the shim (and so its proxy) stopped, a connection to the published port still
    // reaches the container: the kernel carries it.
    let shim = b.state(&id)["shim_pid"].as_i64().expect("shim pid") as i32;
    let pid = nix::unistd::Pid::from_raw(shim);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGSTOP).expect("stop the shim");
    let page = get(&ns, 8080);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGCONT).expect("continue the shim");
    assert!(
        page.contains("kernel-path"),
        "the page without the proxy: {page:?}"
    );

    // The bridge routes 127.0.0.0/8 for the DNAT, and drops it coming from containers.
    let net = ns.ok(&b, &["network", "inspect", "pubnet", "--format", "{{.Id}}"]);
    let bridge = format!("br-{}", &net.trim()[..12]);
    let guard = nft_chain(&ns, &format!("guard-{bridge}"));
    assert!(
        guard
            .stdout
            .contains(&format!("iifname \"{bridge}\" ip daddr 127.0.0.0/8 drop")),
        "{guard:?}"
    );
    let localnet = ns.host(&[
        "cat",
        &format!("/proc/sys/net/ipv4/conf/{bridge}/route_localnet"),
    ]);
    assert_eq!(localnet.stdout.trim(), "1", "{localnet:?}");

    ns.ok(&b, &["rm", "-f", "web1"]);
    assert_ne!(
        nft_chain(&ns, &chain).code,
        0,
        "the DNAT chain is gone with the container"
    );
    ns.ok(&b, &["network", "rm", "pubnet"]);
    assert_ne!(
        nft_chain(&ns, &format!("guard-{bridge}")).code,
        0,
        "the guard chain is gone with the network"
    );
}

#[test]
fn a_killed_shim_leaves_no_dnat_behind() {
    let ns = NetNs::new();
    let b = Berth::new();
    let (id, _) = start_web(&ns, &b);
    let chain = format!("pub-{}", &id[..12]);
    assert_eq!(nft_chain(&ns, &chain).code, 0);
    let shim = b.state(&id)["shim_pid"].as_i64().expect("shim pid") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(shim),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill the shim");
    wait_until(
        "the container to be reconciled",
        Duration::from_secs(10),
        &mut || {
            ns.ok(&b, &["ps", "-a", "--format", "{{.Status}}"])
                .starts_with("Exited")
        },
    );
    assert_ne!(
        nft_chain(&ns, &chain).code,
        0,
        "no DNAT chain after the shim died"
    );
    assert_eq!(get(&ns, 8080), "", "nothing answers on the port");
}

#[test]
fn a_restarted_container_binds_its_published_ports_again() {
    let ns = NetNs::new();
    let b = Berth::new();
    let (id, _) = start_web(&ns, &b);
    // The old shim gives the ports back before the record says the container stopped,
    // so each restart's new shim can bind them at once.
    for round in 0..5 {
        let out = ns.berth(&b, &["restart", "-t", "0", &id]);
        assert_eq!(out.code, 0, "restart {round}: {out:?}");
        wait_until(
            "the published port to answer after a restart",
            Duration::from_secs(10),
            &mut || get(&ns, 8081).contains("kernel-path"),
        );
    }
    ns.ok(&b, &["rm", "-f", &id]);
    ns.ok(&b, &["network", "rm", "pubnet"]);
}
