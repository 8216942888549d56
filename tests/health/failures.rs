//! Healthchecks that fail: unhealthy, timeouts, paused containers, filters and events.

use super::*;

#[test]
fn ps_filters_by_health_and_events_tell_changes() {
    let b = Berth::new();
    let common = ["--network", "none", "--health-interval", "1s"];
    let run = |name: &str, cmd: &str| {
        let mut args = vec!["--name", name];
        args.extend_from_slice(&common);
        args.extend_from_slice(&["--health-cmd", cmd, "--health-retries", "1"]);
        args.extend_from_slice(&["busybox", "sleep", "300"]);
        b.run_detached(&args)
    };
    run("up", "true");
    run("down", "false");
    b.run_detached(&[
        "--name",
        "plain",
        "--network",
        "none",
        "busybox",
        "sleep",
        "300",
    ]);
    b.run_detached(&[
        "--name",
        "later",
        "--network",
        "none",
        "--health-cmd",
        "true",
        "--health-interval",
        "1h",
        "busybox",
        "sleep",
        "300",
    ]);
    b.wait_until("both probed", DEADLINE, || {
        health(&b, "up")["Status"] == "healthy" && health(&b, "down")["Status"] == "unhealthy"
    });
    assert_eq!(ps_health(&b, "healthy"), vec!["up"]);
    assert_eq!(ps_health(&b, "unhealthy"), vec!["down"]);
    assert_eq!(ps_health(&b, "starting"), vec!["later"]);
    // Before its first probe (an hour away), a container is starting.
    let later = ps_status(&b, "later");
    assert!(later.ends_with(" (health: starting)"), "{later}");
    assert_eq!(ps_health(&b, "none"), vec!["plain"]);
    let bad = b.run(&["ps", "--filter", "health=sick"]);
    assert_ne!(bad.code, 0, "{bad:?}");
    // The events journal tells each change once, as Docker's words.
    let out = b.ok(&[
        "events",
        "--since",
        "0",
        "--until",
        "0s",
        "--filter",
        "event=health_status",
        "--format",
        "{{.Action}} {{.Actor.Attributes.name}}",
    ]);
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        vec!["health_status: healthy up", "health_status: unhealthy down"],
        "{out}"
    );
}

#[test]
fn docker_cli_through_the_api_runs_and_reads_healthchecks() {
    let b = Berth::new();
    let s = api_service::Service::start(&b);
    let secs = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
    };
    let since = secs().to_string();
    s.ok(&[
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "none",
        "--health-cmd",
        "echo fine",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        "busybox",
        "sleep",
        "300",
    ]);
    // docker run sent Config.Healthcheck: berth recorded it as given.
    assert_eq!(
        inspect(&b, "web")["Config"]["Healthcheck"],
        json!({"Test": ["CMD-SHELL", "echo fine"], "Interval": 1_000_000_000i64, "Retries": 2})
    );
    b.wait_until("healthy through the API", DEADLINE, || {
        s.ok(&["inspect", "--format", "{{.State.Health.Status}}", "web"]) == "healthy\n"
    });
    let output = s.ok(&[
        "inspect",
        "--format",
        "{{(index .State.Health.Log 0).Output}}",
        "web",
    ]);
    assert_eq!(output, "fine\n\n");
    let status = s.ok(&["ps", "--format", "{{.Status}}"]);
    assert!(status.trim().ends_with("(healthy)"), "{status}");
    assert_eq!(
        s.ok(&["ps", "--filter", "health=healthy", "--format", "{{.Names}}"]),
        "web\n"
    );
    let until = (secs() + 1).to_string();
    let events = s.ok(&[
        "events",
        "--since",
        &since,
        "--until",
        &until,
        "--filter",
        "event=health_status",
        "--format",
        "{{.Action}}",
    ]);
    assert_eq!(events, "health_status: healthy\n");
}

#[test]
fn probes_of_a_paused_container_fail_without_stopping_the_shim() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "nap",
        "--network",
        "none",
        "--health-cmd",
        "true",
        "--health-interval",
        "1s",
        "--health-retries",
        "1",
        "busybox",
        "sleep",
        "300",
    ]);
    b.wait_until("healthy", DEADLINE, || {
        health(&b, "nap")["Status"] == "healthy"
    });
    b.ok(&["pause", "nap"]);
    b.wait_until("a probe refused while paused", DEADLINE, || {
        let h = health(&b, "nap");
        h["Status"] == "unhealthy"
            && h["Log"].as_array().and_then(|l| l.last()).is_some_and(|r| {
                r["ExitCode"] == -1
                    && r["Output"].as_str().is_some_and(|o| {
                        o.ends_with("is paused, unpause the container before exec")
                    })
            })
    });
    b.ok(&["unpause", "nap"]);
    b.wait_until("healthy again", DEADLINE, || {
        health(&b, "nap")["Status"] == "healthy"
    });
    // The shim still serves the rest: logs and a stop.
    b.ok(&["stop", "-t", "1", "nap"]);
    assert_eq!(inspect(&b, "nap")["State"]["Status"], "exited");
}

#[test]
fn a_shell_form_check_runs_in_the_image_shell() {
    let b = Berth::new();
    let dir = context(
        &b,
        "shell",
        &[(
            "Dockerfile",
            "FROM busybox\nSHELL [\"/bin/env\", \"MARK=from-shell\", \"/bin/sh\", \"-c\"]\n\
             HEALTHCHECK --interval=1s CMD env | grep MARK=\n",
        )],
    );
    build_ok(&b, &dir, &["-t", "shell:1"]);
    b.run_detached(&[
        "--name",
        "sh1",
        "--network",
        "none",
        "shell:1",
        "sleep",
        "300",
    ]);
    assert_eq!(
        inspect(&b, "sh1")["Config"]["Shell"],
        json!(["/bin/env", "MARK=from-shell", "/bin/sh", "-c"])
    );
    b.wait_until("healthy", DEADLINE, || {
        health(&b, "sh1")["Status"] == "healthy"
    });
    assert_eq!(health(&b, "sh1")["Log"][0]["Output"], "MARK=from-shell\n");
}
