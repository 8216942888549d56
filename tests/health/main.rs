//! Healthchecks (root only): the image's HEALTHCHECK and the `--health-*` flags merged into
//! the container's `Config.Healthcheck`, run by the shim inside the container, and seen as
//! `State.Health` in inspect, `(healthy)` in `ps`, `ps --filter health=` and
//! `health_status` events. Containers run on `--network none`.

#[path = "../common/api_service.rs"]
mod api_service;
#[path = "../common/build_fixture.rs"]
mod build_fixture;
mod failures;
#[path = "../common/container_harness.rs"]
mod harness;

use build_fixture::{build_ok, context};
use harness::Berth;
use serde_json::{Value, json};
use std::time::Duration;

/// `inspect NAME`, the first object.
fn inspect(b: &Berth, name: &str) -> Value {
    let out = b.ok(&["inspect", name]);
    let v: Value = serde_json::from_str(&out).expect("inspect json");
    v[0].clone()
}

/// Builds `health:1`: busybox with a HEALTHCHECK that passes once `/ready` exists.
fn image_with_healthcheck(b: &Berth) {
    let dir = context(
        b,
        "ctx",
        &[(
            "Dockerfile",
            "FROM busybox\nHEALTHCHECK --interval=1s --timeout=5s --retries=2 CMD test -f /ready\n",
        )],
    );
    build_ok(b, &dir, &["-t", "health:1"]);
}

#[test]
fn flags_and_image_healthcheck_are_merged_into_the_config() {
    let b = Berth::new();
    image_with_healthcheck(&b);
    b.ok(&[
        "create",
        "--name",
        "flags",
        "--network",
        "none",
        "--health-cmd",
        "echo ok",
        "--health-interval",
        "2s",
        "--health-retries",
        "4",
        "--health-start-period",
        "1m30s",
        "busybox",
    ]);
    assert_eq!(
        inspect(&b, "flags")["Config"]["Healthcheck"],
        json!({"Test": ["CMD-SHELL", "echo ok"], "Interval": 2_000_000_000i64,
               "Retries": 4, "StartPeriod": 90_000_000_000i64})
    );
    // The image's check, with the interval given on the command line over the image's.
    b.ok(&[
        "create",
        "--name",
        "merged",
        "--network",
        "none",
        "--health-interval",
        "3s",
        "health:1",
    ]);
    assert_eq!(
        inspect(&b, "merged")["Config"]["Healthcheck"],
        json!({"Test": ["CMD-SHELL", "test -f /ready"], "Interval": 3_000_000_000i64,
               "Timeout": 5_000_000_000i64, "Retries": 2})
    );
    b.ok(&[
        "create",
        "--name",
        "off",
        "--network",
        "none",
        "--no-healthcheck",
        "health:1",
    ]);
    // As Docker merges it: the test says NONE, the image's settings stay beside it.
    assert_eq!(
        inspect(&b, "off")["Config"]["Healthcheck"]["Test"],
        json!(["NONE"])
    );
    // No healthcheck anywhere: no key, as in Docker.
    b.ok(&["create", "--name", "plain", "--network", "none", "busybox"]);
    assert_eq!(inspect(&b, "plain")["Config"].get("Healthcheck"), None);
    // Bad values: one line, exit 125, nothing created.
    let bad = b.run(&[
        "create",
        "--no-healthcheck",
        "--health-cmd",
        "true",
        "busybox",
    ]);
    assert_eq!(bad.code, 125, "{bad:?}");
    assert!(
        bad.stderr
            .contains("--no-healthcheck conflicts with --health-* options"),
        "{bad:?}"
    );
    let bad = b.run(&["create", "--health-interval", "-1s", "busybox"]);
    assert_eq!(bad.code, 125, "{bad:?}");
    assert!(
        bad.stderr.contains("--health-interval cannot be negative"),
        "{bad:?}"
    );
    let bad = b.run(&["create", "--health-timeout", "soon", "busybox"]);
    assert_eq!(bad.code, 125, "{bad:?}");
    assert_eq!(b.container_ids().len(), 4);
}

/// Generous: probes run every second, so a few seconds suffice on a busy machine.
const DEADLINE: Duration = Duration::from_secs(30);

/// `State.Health` of a container.
fn health(b: &Berth, name: &str) -> Value {
    inspect(b, name)["State"]["Health"].clone()
}

/// The newest probe result of a `State.Health`.
fn last_result(h: &Value) -> Value {
    h["Log"]
        .as_array()
        .and_then(|l| l.last())
        .cloned()
        .expect("a result")
}

/// The STATUS column `ps` prints for `name`.
fn ps_status(b: &Berth, name: &str) -> String {
    b.ok(&[
        "ps",
        "--filter",
        &format!("name={name}"),
        "--format",
        "{{.Status}}",
    ])
    .trim()
    .to_string()
}

/// Names `ps --filter health=STATE` lists.
fn ps_health(b: &Berth, state: &str) -> Vec<String> {
    let out = b.ok(&[
        "ps",
        "--filter",
        &format!("health={state}"),
        "--format",
        "{{.Names}}",
    ]);
    let mut names: Vec<String> = out.lines().map(str::to_string).collect();
    names.sort();
    names
}

#[test]
fn a_passing_check_makes_the_container_healthy() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "good",
        "--network",
        "none",
        "--health-cmd",
        "echo probe-ran; test -f /ready",
        "--health-interval",
        "1s",
        "busybox",
        "sh",
        "-c",
        "touch /ready; exec sleep 300",
    ]);
    b.wait_until("healthy in inspect", DEADLINE, || {
        health(&b, "good")["Status"] == "healthy"
    });
    let h = health(&b, "good");
    assert_eq!(h["FailingStreak"], 0, "{h}");
    let last = last_result(&h);
    assert_eq!(last["ExitCode"], 0, "{h}");
    assert_eq!(last["Output"], "probe-ran\n", "{h}");
    let status = ps_status(&b, "good");
    assert!(
        status.starts_with("Up ") && status.ends_with(" (healthy)"),
        "{status}"
    );
    // The log keeps the last five results: once it has five, the next probe drops the
    // oldest.
    b.wait_until("five results", DEADLINE, || {
        health(&b, "good")["Log"].as_array().map_or(0, Vec::len) == 5
    });
    let first = health(&b, "good")["Log"][0]["Start"].clone();
    b.wait_until("a sixth result", DEADLINE, || {
        health(&b, "good")["Log"][0]["Start"] != first
    });
    assert_eq!(health(&b, "good")["Log"].as_array().map(Vec::len), Some(5));
}

#[test]
fn a_failing_check_makes_the_container_unhealthy() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "bad",
        "--network",
        "none",
        "--health-cmd",
        "echo broken >&2; exit 1",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        "busybox",
        "sleep",
        "300",
    ]);
    b.wait_until("unhealthy in inspect", DEADLINE, || {
        health(&b, "bad")["Status"] == "unhealthy"
    });
    let h = health(&b, "bad");
    assert!(h["FailingStreak"].as_u64().unwrap_or(0) >= 2, "{h}");
    let last = last_result(&h);
    assert_eq!(last["ExitCode"], 1, "{h}");
    assert_eq!(last["Output"], "broken\n", "{h}");
    assert!(ps_status(&b, "bad").ends_with(" (unhealthy)"));
    // Stopped, the container reads unhealthy in inspect, as in Docker.
    b.ok(&["stop", "-t", "1", "bad"]);
    assert_eq!(health(&b, "bad")["Status"], "unhealthy");
}

#[test]
fn no_healthcheck_disables_the_image_check() {
    let b = Berth::new();
    image_with_healthcheck(&b);
    // The image's check runs by itself: /ready never exists, so retries=2 fail it.
    b.run_detached(&[
        "--name",
        "img",
        "--network",
        "none",
        "health:1",
        "sleep",
        "300",
    ]);
    b.run_detached(&[
        "--name",
        "off",
        "--network",
        "none",
        "--no-healthcheck",
        "health:1",
        "sleep",
        "300",
    ]);
    b.wait_until("the image's check fails", DEADLINE, || {
        health(&b, "img")["Status"] == "unhealthy"
    });
    assert_eq!(
        health(&b, "img")["Log"][0]["Output"],
        "",
        "test -f prints nothing"
    );
    assert_eq!(inspect(&b, "off")["State"].get("Health"), None);
    let status = ps_status(&b, "off");
    assert!(
        status.starts_with("Up ") && !status.contains('('),
        "{status}"
    );
}

#[test]
fn a_probe_past_its_timeout_fails_and_is_killed() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "slow",
        "--network",
        "none",
        "--health-cmd",
        "sleep 30",
        "--health-interval",
        "1s",
        "--health-timeout",
        "1s",
        "--health-retries",
        "3",
        "busybox",
        "sleep",
        "300",
    ]);
    b.wait_until("three timeouts", DEADLINE, || {
        health(&b, "slow")["FailingStreak"].as_u64().unwrap_or(0) >= 3
    });
    let h = health(&b, "slow");
    assert_eq!(h["Status"], "unhealthy", "{h}");
    let last = last_result(&h);
    assert_eq!(last["ExitCode"], -1, "{h}");
    assert_eq!(last["Output"], "Health check exceeded timeout (1s)", "{h}");
    // Each probe lives 30 seconds unless killed: three timed out, so at most the one
    // running now may be there.
    let ps = b.ok(&["exec", "slow", "ps", "-o", "pid,stat,args"]);
    let probes = ps.lines().filter(|l| l.contains("sleep 30")).count();
    assert!(probes <= 1, "timed-out probes are still running:\n{ps}");
    let zombies = ps.lines().filter(|l| l.contains(" Z ")).count();
    assert_eq!(zombies, 0, "{ps}");
}
