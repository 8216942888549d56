//! Debian's `docker-compose` 1.29 (Python, docker-py) drives berth's Docker Engine API:
//! `up -d`, `ps`, `logs`, `exec` and `down -v` of a stack with a user network, two services
//! sharing one alias, a published port, a named volume and capabilities added and dropped.
//! The service runs in a network namespace of the test's own (the stack makes a bridge).

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use api_service::Service;
use harness::{Berth, Out};
use netns::NetNs;
use std::time::Duration;

/// The stack: `web` writes a page into the named volume and serves it on a published
/// port; `api` logs a line and sleeps; both answer to the alias `shared` on `app`.
const STACK: &str = r#"version: "3.8"
services:
  web:
    image: busybox
    command: ["sh", "-c", "echo served-from-volume > /site/index.html && exec httpd -f -p 80 -h /site"]
    ports:
      - "127.0.0.1:18081:80"
    volumes:
      - data:/site
    networks:
      app:
        aliases: [shared]
    cap_drop: [NET_RAW]
  api:
    image: busybox
    command: ["sh", "-c", "echo api-up; exec sleep 300"]
    networks:
      app:
        aliases: [shared]
    cap_add: [NET_ADMIN]
networks:
  app: {}
volumes:
  data: {}
"#;

/// Asserts a docker-compose run succeeded; its stdout.
fn ok(out: Out, what: &str) -> String {
    assert_eq!(out.code, 0, "docker-compose {what} failed: {out:?}");
    out.stdout
}

/// The effective capability set of the first process of `service`, read through
/// `docker-compose exec`.
fn cap_eff(s: &Service, file: &str, service: &str) -> u64 {
    let status = ok(
        s.compose(&[
            "-p",
            "stack",
            "-f",
            file,
            "exec",
            "-T",
            service,
            "cat",
            "/proc/1/status",
        ]),
        "exec",
    );
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .unwrap_or_else(|| panic!("no CapEff in {status}"));
    u64::from_str_radix(hex.trim(), 16).expect("hex capabilities")
}

#[test]
fn docker_compose_up_ps_logs_exec_and_down() {
    let b = Berth::new();
    b.docker_defaults();
    let ns = NetNs::new();
    let s = Service::start_in(&b, Some(&ns.path()));
    let dir = b.scratch("stack");
    let file = dir.join("docker-compose.yml");
    std::fs::write(&file, STACK).expect("write the compose file");
    let file = file.to_str().expect("utf-8 path");
    let compose = |args: &[&str]| {
        let mut all = vec!["-p", "stack", "-f", file];
        all.extend_from_slice(args);
        s.compose(&all)
    };

    ok(compose(&["up", "-d"]), "up -d");

    // `ps`: each container once (its one-off query must not match the services), up, with
    // the published port.
    let ps = ok(compose(&["ps"]), "ps");
    let rows: Vec<&str> = ps.lines().filter(|l| l.starts_with("stack_")).collect();
    assert_eq!(rows.len(), 2, "{ps}");
    let web = rows
        .iter()
        .find(|r| r.starts_with("stack_web_1"))
        .expect(&ps);
    assert!(
        web.contains(" Up ") && web.contains("127.0.0.1:18081->80/tcp"),
        "{ps}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("stack_api_1") && r.contains(" Up")),
        "{ps}"
    );

    // `logs`: the service's output, prefixed by compose.
    b.wait_until("api's line is in the logs", Duration::from_secs(20), || {
        let out = compose(&["logs", "--no-color", "api"]);
        out.code == 0 && out.stdout.contains("api_1  | api-up")
    });

    // The alias resolves to both containers on the stack's network.
    let ip = |name: &str| {
        let out = b.ok(&[
            "inspect",
            "--format",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            name,
        ]);
        out.trim().to_string()
    };
    let (web_ip, api_ip) = (ip("stack_web_1"), ip("stack_api_1"));
    assert!(web_ip.starts_with("172.18.0.") && api_ip.starts_with("172.18.0."));
    let lookup = ok(
        compose(&["exec", "-T", "api", "nslookup", "shared"]),
        "exec nslookup",
    );
    assert!(
        lookup.contains(&web_ip) && lookup.contains(&api_ip),
        "{web_ip} {api_ip}: {lookup}"
    );

    // The published port answers on the namespace's loopback, with the page `web` wrote
    // into the named volume.
    b.wait_until(
        "the published port answers",
        Duration::from_secs(20),
        || {
            let got = ns.host(&["busybox", "wget", "-qO-", "http://127.0.0.1:18081/"]);
            got.code == 0 && got.stdout.contains("served-from-volume")
        },
    );

    // cap_add / cap_drop (CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13).
    let (web_caps, api_caps) = (cap_eff(&s, file, "web"), cap_eff(&s, file, "api"));
    assert_eq!(web_caps & (1 << 13), 0, "web keeps NET_RAW: {web_caps:x}");
    assert_ne!(api_caps & (1 << 12), 0, "api lacks NET_ADMIN: {api_caps:x}");
    assert_ne!(api_caps & (1 << 13), 0, "api lost NET_RAW: {api_caps:x}");

    // Up again: the stack is found as it is (its network's options are what the file asks,
    // so it is not "recreated"), and a one-off `run` joins it and resolves a service.
    let again = compose(&["up", "-d"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again.stderr.contains("stack_web_1 is up-to-date"),
        "{again:?}"
    );
    let run = ok(
        compose(&["run", "--rm", "-T", "api", "nslookup", "web"]),
        "run",
    );
    assert!(run.contains(&web_ip), "{web_ip}: {run}");

    // `down -v`: no container, network or volume of the stack is left.
    ok(compose(&["down", "-v"]), "down -v");
    assert_eq!(b.ok(&["ps", "-a", "-q"]).trim(), "");
    let nets = b.ok(&["network", "ls", "--format", "{{.Name}}"]);
    assert!(!nets.contains("stack_"), "{nets}");
    let vols = b.ok(&["volume", "ls", "--format", "{{.Name}}"]);
    assert!(!vols.contains("stack_"), "{vols}");
    assert!(
        !ns.links().iter().any(|l| l.starts_with("br-")),
        "{:?}",
        ns.links()
    );
}
