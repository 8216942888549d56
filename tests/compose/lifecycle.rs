//! compose: dependencies, build, run --rm, stop and start of one service, errors.

use super::*;

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
