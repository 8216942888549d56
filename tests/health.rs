//! Healthchecks (root only): the image's HEALTHCHECK and the `--health-*` flags merged into
//! the container's `Config.Healthcheck`, run by the shim inside the container, and seen as
//! `State.Health` in inspect, `(healthy)` in `ps`, `ps --filter health=` and
//! `health_status` events. Containers run on `--network none`.

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build_ok, context};
use harness::Berth;
use serde_json::{Value, json};

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
