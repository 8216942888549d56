//! `berth compose` end to end (root only; each test in a network namespace of its own with
//! its own state root): a stack with two services behind one alias, a client, a published
//! port answered on the namespace's loopback and a named volume comes up, shows in
//! `compose ps`, streams `compose logs -f`, is kept or recreated by `up` as its file
//! changes, and `compose down` (`-v`) leaves no container, network (or volume).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::{Berth, LineReader, wait_until};
use netns::NetNs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn web(text: &str) -> String {
    format!(
        "[\"sh\", \"-c\", \"mkdir -p /www && echo {text} > /www/index.html && exec httpd -f -p 80 -h /www\"]"
    )
}

/// The stack: web1 and web2 behind the alias `web` (web2 published on 127.0.0.1:18080),
/// a db writing to the named volume `data`, a client that asks `web`.
fn stack(client_says: &str) -> String {
    format!(
        r#"services:
  web1:
    image: busybox
    command: {w1}
    networks:
      default:
        aliases: [web]
  web2:
    image: busybox
    command: {w2}
    networks:
      default:
        aliases: [web]
    ports:
      - "127.0.0.1:18080:80"
  db:
    image: busybox
    command: ["sh", "-c", "echo stored > /data/state; i=0; while true; do echo tick $$i; i=$$((i+1)); sleep 0.2; done"]
    volumes:
      - data:/data
  client:
    image: busybox
    command: ["sh", "-c", "echo {client_says}; exec sleep 300"]
    depends_on:
      - web1
      - web2
volumes:
  data:
"#,
        w1 = web("web1"),
        w2 = web("web2"),
    )
}

fn write(dir: &Path, yaml: &str) -> PathBuf {
    let f = dir.join("compose.yaml");
    std::fs::write(&f, yaml).expect("write compose.yaml");
    f
}

/// `berth compose -f FILE -p PROJECT ARGS...` in the namespace.
fn compose(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> harness::Out {
    let mut all = vec![
        "compose",
        "-f",
        file.to_str().expect("utf-8"),
        "-p",
        project,
    ];
    all.extend_from_slice(args);
    ns.berth(b, &all)
}

fn compose_ok(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> harness::Out {
    let o = compose(ns, b, file, project, args);
    assert_eq!(o.code, 0, "compose {args:?} failed: {o:?}");
    o
}

/// Starts `berth compose ... ARGS` in the namespace with piped output.
fn spawn_compose(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> Child {
    let mut all = vec![
        "compose",
        "-f",
        file.to_str().expect("utf-8"),
        "-p",
        project,
    ];
    all.extend_from_slice(args);
    let c = b.cmd(&all);
    Command::new("nsenter")
        .arg(format!("--net={}", ns.path().display()))
        .arg(c.get_program())
        .args(c.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn berth compose")
}

fn get(ns: &NetNs, port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/");
    ns.host(&["timeout", "5", "busybox", "wget", "-qO-", &url])
        .stdout
}

fn ip_of(ns: &NetNs, b: &Berth, name: &str, network: &str) -> String {
    let f = format!("{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}");
    ns.ok(b, &["inspect", name, "--format", &f])
        .trim()
        .to_string()
}

#[test]
fn a_stack_comes_up_answers_shows_in_ps_streams_logs_and_goes_down() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    let dir = b.scratch("stack");
    let file = write(&dir, &stack("hello"));
    let p = "st";

    let up = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    for line in [
        "Network st_default  Created",
        "Volume st_data  Created",
        "Container st-web1-1  Started",
        "Container st-client-1  Started",
    ] {
        assert!(up.stderr.contains(line), "no '{line}' in: {}", up.stderr);
    }
    // Dependencies start first.
    let at = |s: &str| up.stderr.find(s).expect("line");
    assert!(at("Container st-web2-1  Started") < at("Container st-client-1  Started"));

    // The published port answers on the namespace's loopback.
    wait_until(
        "web2's published port to answer",
        Duration::from_secs(10),
        &mut || get(&ns, 18080).contains("web2"),
    );
    // The alias resolves to both services' addresses from the client.
    let ips = [
        ip_of(&ns, &b, "st-web1-1", "st_default"),
        ip_of(&ns, &b, "st-web2-1", "st_default"),
    ];
    let look = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "client", "nslookup", "web"],
    );
    for ip in &ips {
        assert!(
            look.stdout.contains(ip.as_str()),
            "web does not resolve to {ip}: {look:?}"
        );
    }
    let page = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "client", "wget", "-qO-", "http://web/"],
    );
    assert!(
        page.stdout.contains("web1") || page.stdout.contains("web2"),
        "{page:?}"
    );
    // The named volume holds what db wrote.
    let state = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "db", "cat", "/data/state"],
    );
    assert_eq!(state.stdout.trim(), "stored");
    let labels = ns.ok(
        &b,
        &[
            "volume",
            "inspect",
            "st_data",
            "--format",
            "{{json .Labels}}",
        ],
    );
    assert!(
        labels.contains("\"com.docker.compose.project\":\"st\""),
        "{labels}"
    );
    assert!(
        labels.contains("\"com.docker.compose.volume\":\"data\""),
        "{labels}"
    );

    // ps: Compose's columns, every service.
    let ps = compose_ok(&ns, &b, &file, p, &["ps"]).stdout;
    let header: Vec<&str> = ps
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"
        ]
    );
    for (name, svc) in [
        ("st-web1-1", "web1"),
        ("st-web2-1", "web2"),
        ("st-db-1", "db"),
        ("st-client-1", "client"),
    ] {
        let row = ps
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in {ps}"));
        assert!(row.contains(svc) && row.contains("Up "), "{row}");
    }
    assert!(ps.contains("127.0.0.1:18080->80/tcp"), "{ps}");
    let labels = ns.ok(
        &b,
        &[
            "inspect",
            "st-web1-1",
            "--format",
            "{{json .Config.Labels}}",
        ],
    );
    for l in [
        "\"com.docker.compose.project\":\"st\"",
        "\"com.docker.compose.service\":\"web1\"",
        "\"com.docker.compose.container-number\":\"1\"",
        "\"com.docker.compose.oneoff\":\"False\"",
        "com.docker.compose.config-hash",
        "com.docker.compose.project.config_files",
    ] {
        assert!(labels.contains(l), "no {l} in {labels}");
    }

    // logs -f streams with the service prefix (no colour: not a terminal).
    let mut child = spawn_compose(&ns, &b, &file, p, &["logs", "-f", "--tail", "2", "db"]);
    let reader = LineReader::new(&mut child);
    let mut ticks = Vec::new();
    while ticks.len() < 5 {
        let line = reader
            .next_line(Duration::from_secs(10))
            .expect("a streamed line");
        assert!(line.starts_with("db-1  | "), "{line:?}");
        if line.contains("tick") {
            ticks.push(line);
        }
    }
    // More lines than --tail kept: they were streamed, not only read back.
    let n = |l: &String| {
        l.rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .expect("tick number")
    };
    assert!(n(&ticks[4]) > n(&ticks[0]), "{ticks:?}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("kill compose logs");
    let _ = child.wait();

    // up again: nothing changed, nothing recreated; a changed service is recreated.
    let client_id = b.id_of("st-client-1");
    let again = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    assert!(
        again.stderr.contains("Container st-client-1  Running"),
        "{}",
        again.stderr
    );
    assert_eq!(b.id_of("st-client-1"), client_id);
    write(&dir, &stack("changed"));
    let changed = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    assert!(
        changed.stderr.contains("Container st-client-1  Recreated"),
        "{}",
        changed.stderr
    );
    assert!(
        changed.stderr.contains("Container st-web1-1  Running"),
        "{}",
        changed.stderr
    );
    assert_ne!(b.id_of("st-client-1"), client_id);

    // run --rm: a one-off container of the service, gone once it exits.
    let before = b.container_ids().len();
    let run = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &[
            "run",
            "--rm",
            "-T",
            "client",
            "sh",
            "-c",
            "echo one-off done",
        ],
    );
    assert!(run.stdout.starts_with("one-off "), "{run:?}");
    assert_eq!(
        b.container_ids().len(),
        before,
        "the one-off container stayed"
    );
    // stop and start one service.
    compose_ok(&ns, &b, &file, p, &["stop", "db"]);
    assert_eq!(b.status(&b.id_of("st-db-1")), "exited");
    let ps = compose_ok(&ns, &b, &file, p, &["ps"]).stdout;
    assert!(!ps.contains("st-db-1"), "{ps}");
    assert!(
        compose_ok(&ns, &b, &file, p, &["ps", "-a"])
            .stdout
            .contains("st-db-1")
    );
    compose_ok(&ns, &b, &file, p, &["start", "db"]);
    assert_eq!(b.status(&b.id_of("st-db-1")), "running");

    // down: no container nor network; the volume stays until down -v.
    let down = compose_ok(&ns, &b, &file, p, &["down"]);
    assert!(
        down.stderr.contains("Container st-web1-1  Removed"),
        "{}",
        down.stderr
    );
    assert!(
        down.stderr.contains("Network st_default  Removed"),
        "{}",
        down.stderr
    );
    assert!(
        b.container_ids().is_empty(),
        "containers left: {:?}",
        b.container_ids()
    );
    let nets = ns.ok(&b, &["network", "ls", "--format", "{{.Name}}"]);
    assert!(!nets.contains("st_default"), "{nets}");
    assert!(ns.ok(&b, &["volume", "ls", "-q"]).contains("st_data"));
    compose_ok(&ns, &b, &file, p, &["up", "-d", "db"]);
    let kept = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "db", "cat", "/data/state"],
    );
    assert_eq!(kept.stdout.trim(), "stored");
    let down = compose_ok(&ns, &b, &file, p, &["down", "-v"]);
    assert!(
        down.stderr.contains("Volume st_data  Removed"),
        "{}",
        down.stderr
    );
    assert!(b.container_ids().is_empty());
    assert!(!ns.ok(&b, &["volume", "ls", "-q"]).contains("st_data"));
    assert!(
        compose_ok(&ns, &b, &file, p, &["ps", "-a"])
            .stdout
            .lines()
            .count()
            <= 1
    );
}

#[test]
fn up_attached_prints_prefixed_output_and_ctrl_c_stops_the_stack() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    let dir = b.scratch("attached");
    let file = write(
        &dir,
        "services:\n  once:\n    image: busybox\n    command: [\"sh\", \"-c\", \"echo done-once\"]\n  ticker:\n    image: busybox\n    command: [\"sh\", \"-c\", \"trap 'exit 0' TERM; while true; do echo beat; sleep 0.2; done\"]\n    depends_on:\n      once:\n        condition: service_completed_successfully\n",
    );
    let mut child = spawn_compose(&ns, &b, &file, "at", &["up"]);
    let reader = LineReader::new(&mut child);
    let mut seen = Vec::new();
    wait_until(
        "the ticker's prefixed lines",
        Duration::from_secs(20),
        &mut || {
            while let Some(l) = reader.next_line(Duration::from_millis(100)) {
                seen.push(l);
            }
            seen.iter()
                .filter(|l| l.starts_with("ticker-1  | beat"))
                .count()
                >= 2
        },
    );
    assert!(
        seen.iter().any(|l| l == "once-1    | done-once"),
        "{seen:?}"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .expect("Ctrl-C");
    let status = harness::wait_child(
        &mut child,
        Duration::from_secs(30),
        "compose up after Ctrl-C",
    );
    assert_eq!(status.code(), Some(130));
    assert_eq!(b.status(&b.id_of("at-ticker-1")), "exited");
    compose_ok(&ns, &b, &file, "at", &["down"]);
    assert!(b.container_ids().is_empty());
}

#[test]
fn bad_files_are_one_error_naming_file_line_and_key_and_unknown_keys_warn() {
    let b = Berth::new();
    let dir = b.scratch("bad");
    std::fs::write(dir.join(".env"), "PORT=notaport\n").expect(".env");
    let file = write(
        &dir,
        "services:\n  web:\n    image: busybox\n    ports:\n      - \"${PORT}:80\"\n    deploy:\n      replicas: 2\n",
    );
    let o = b.run(&["compose", "-f", file.to_str().expect("utf-8"), "config"]);
    assert_eq!(o.code, 125, "{o:?}");
    assert_eq!(
        o.stderr.lines().last().expect("an error"),
        "berth: compose.yaml: line 5: services.web.ports[0]: invalid port 'notaport:80': 'notaport' is not a port number (1-65535)"
            .replace("compose.yaml", &file.display().to_string())
            .as_str(),
    );
    assert!(
        o.stderr
            .contains("line 6: services.web.deploy: unknown or unsupported key, ignored"),
        "{o:?}"
    );
    assert!(o.stdout.is_empty());
    // The .env value, overridden by the environment, and interpolation defaults.
    write(
        &dir,
        "services:\n  web:\n    image: busybox:${TAG:-1.36}\n    ports: [\"${PORT}:80\"]\n",
    );
    let o = b
        .cmd(&[
            "compose",
            "-f",
            file.to_str().expect("utf-8"),
            "-p",
            "ok",
            "config",
        ])
        .env("PORT", "8081")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{o:?}");
    assert!(text.contains("image: busybox:1.36"), "{text}");
    assert!(text.contains("published: 8081"), "{text}");
}

#[test]
fn a_client_starts_once_its_dependency_is_healthy_and_not_when_it_is_unhealthy() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    let dir = b.scratch("health");
    let file = write(
        &dir,
        r#"services:
  db:
    image: busybox
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 300"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 300ms
      retries: 50
  client:
    image: busybox
    command: ["sleep", "300"]
    depends_on:
      db:
        condition: service_healthy
"#,
    );
    let up = compose_ok(&ns, &b, &file, "hc", &["up", "-d"]);
    let at = |s: &str| {
        up.stderr
            .find(s)
            .unwrap_or_else(|| panic!("no '{s}' in {}", up.stderr))
    };
    assert!(at("Container hc-db-1  Healthy") < at("Container hc-client-1  Started"));
    let health = ns.ok(
        &b,
        &["inspect", "hc-db-1", "--format", "{{.State.Health.Status}}"],
    );
    assert_eq!(health.trim(), "healthy");
    let ps = compose_ok(&ns, &b, &file, "hc", &["ps"]).stdout;
    assert!(
        ps.lines()
            .any(|l| l.starts_with("hc-db-1") && l.contains("(healthy)")),
        "{ps}"
    );
    compose_ok(&ns, &b, &file, "hc", &["down"]);

    // A dependency that never gets healthy: the client is not started, up fails.
    let file = write(
        &dir,
        "services:\n  bad:\n    image: busybox\n    command: [\"sleep\", \"300\"]\n    healthcheck:\n      test: [\"CMD\", \"false\"]\n      interval: 200ms\n      retries: 2\n  client:\n    image: busybox\n    command: [\"sleep\", \"300\"]\n    depends_on:\n      bad:\n        condition: service_healthy\n",
    );
    let up = compose(&ns, &b, &file, "hu", &["up", "-d"]);
    assert_ne!(up.code, 0, "{up:?}");
    assert!(
        up.stderr
            .contains("dependency failed to start: container hu-bad-1 is unhealthy"),
        "{up:?}"
    );
    assert_ne!(b.status(&b.id_of("hu-client-1")), "running");
    compose_ok(&ns, &b, &file, "hu", &["down"]);
    assert!(b.container_ids().is_empty());
}

#[test]
fn compose_build_builds_the_services_with_a_build_section() {
    let b = Berth::new();
    let dir = b.scratch("built");
    std::fs::create_dir_all(dir.join("app")).expect("app dir");
    std::fs::write(
        dir.join("app/Dockerfile.dev"),
        "FROM busybox\nARG GREETING=none\nRUN echo $GREETING > /greeting\n",
    )
    .expect("Dockerfile");
    let file = write(
        &dir,
        "services:\n  app:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.dev\n      args:\n        GREETING: built-by-compose\n  plain:\n    image: busybox\n",
    );
    let f = file.to_str().expect("utf-8");
    let config = b.ok(&["compose", "-f", f, "-p", "bp", "config"]);
    let context = format!("context: {}", dir.join("app").display());
    assert!(config.contains(&context), "{config}");
    assert!(config.contains("image: bp-app"), "{config}");
    let o = b.run(&["compose", "-f", f, "-p", "bp", "build"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stderr.contains("Service app  Built"), "{o:?}");
    assert!(!o.stderr.contains("Service plain"), "{o:?}");
    let out = b.ok(&["run", "--rm", "bp-app", "cat", "/greeting"]);
    assert_eq!(out.trim(), "built-by-compose");
}
