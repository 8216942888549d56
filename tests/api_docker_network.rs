//! The Docker Engine API's networks, driven by the docker CLI: the service runs in a
//! network namespace of the test's own (it makes bridges), with Docker's defaults.

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use api_service::Service;
use harness::Berth;
use netns::NetNs;
use std::time::Duration;

#[test]
fn docker_network_create_run_on_it_and_rm() {
    let b = Berth::new();
    b.docker_defaults();
    let ns = NetNs::new();
    let s = Service::start_in(&b, Some(&ns.path()));
    let id = s.ok(&["network", "create", "app"]);
    assert_eq!(id.trim().len(), 64, "{id}");
    let subnet = s.ok(&[
        "network",
        "inspect",
        "--format",
        "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
        "app",
    ]);
    assert_eq!(subnet.trim(), "172.18.0.0/16");
    assert!(
        ns.links().iter().any(|l| l.starts_with("br-")),
        "{:?}",
        ns.links()
    );
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "app",
        "--name",
        "probe",
        "busybox",
        "ip",
        "-4",
        "addr",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("inet 172.18.0."), "{out:?}");
    // A published port (HostConfig.PortBindings), reached from the namespace's loopback.
    s.ok(&[
        "run",
        "-d",
        "--network",
        "app",
        "--name",
        "web",
        "-p",
        "127.0.0.1:18080:80",
        "-v",
        "/etc:/site:ro",
        "busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/site",
    ]);
    let row = s.ok(&[
        "ps",
        "--format",
        "{{.Names}} {{.Networks}} {{.Ports}} {{.Mounts}}",
    ]);
    assert_eq!(row.trim(), "web app 127.0.0.1:18080->80/tcp /etc", "{row}");
    b.wait_until(
        "the published port answers",
        Duration::from_secs(20),
        || {
            let got = ns.host(&["busybox", "wget", "-qO-", "http://127.0.0.1:18080/hostname"]);
            got.code == 0 && !got.stdout.is_empty()
        },
    );
    s.ok(&["rm", "-f", "web"]);
    s.ok(&["network", "rm", "app"]);
    let names = s.ok(&["network", "ls", "--format", "{{.Name}}"]);
    assert!(!names.lines().any(|n| n == "app"), "{names}");
    assert!(
        !ns.links().iter().any(|l| l.starts_with("br-")),
        "{:?}",
        ns.links()
    );
}

#[test]
fn docker_network_connect_with_alias_and_disconnect() {
    let b = Berth::new();
    b.docker_defaults();
    let ns = NetNs::new();
    let s = Service::start_in(&b, Some(&ns.path()));
    s.ok(&["network", "create", "front"]);
    s.ok(&["network", "create", "back"]);
    s.ok(&[
        "run",
        "-d",
        "--network",
        "front",
        "--name",
        "db",
        "busybox",
        "sleep",
        "300",
    ]);
    s.ok(&["network", "connect", "--alias", "store", "back", "db"]);
    let nets = s.ok(&[
        "inspect",
        "--format",
        "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
        "db",
    ]);
    assert_eq!(nets.trim(), "back front", "{nets}");
    let addrs = s.ok(&["exec", "db", "ip", "-4", "addr"]);
    assert!(addrs.contains("inet 172.19.0."), "{addrs}");
    // The alias resolves for another container on `back`.
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "back",
        "busybox",
        "nslookup",
        "store",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("172.19.0."), "{out:?}");
    s.ok(&["network", "disconnect", "back", "db"]);
    let nets = s.ok(&[
        "inspect",
        "--format",
        "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
        "db",
    ]);
    assert_eq!(nets.trim(), "front", "{nets}");
    let addrs = s.ok(&["exec", "db", "ip", "-4", "addr"]);
    assert!(!addrs.contains("inet 172.19.0."), "{addrs}");
    // Disconnecting again is Docker's error, non-zero.
    let again = s.docker(&["network", "disconnect", "back", "db"]);
    assert_ne!(again.code, 0, "{again:?}");
    s.ok(&["rm", "-f", "db"]);
    s.ok(&["network", "rm", "front", "back"]);
}
