//! Recovery after a reboot, simulated on the test's own state root and network namespace
//! (root only): every shim of the root killed by pid, the root's files in /run/berth
//! removed, the network namespace replaced by a fresh one and the kernel's boot id changed
//! in the records. Then `ps` shows each container as a reboot leaves it, `system boot`
//! brings back the `always` and `unless-stopped` ones, and `start` works for the rest.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::{Berth, socket_prefix, wait_until};
use netns::{NetNs, in_container};
use std::collections::BTreeMap;
use std::time::Duration;

const SECS10: Duration = Duration::from_secs(10);

/// `ps -a` as name -> status.
fn statuses(ns: &NetNs, b: &Berth) -> BTreeMap<String, String> {
    ns.ok(b, &["ps", "-a", "--format", "{{.Names}}\t{{.Status}}"])
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

/// Kills every shim of the root by pid, waits until they and their containers are gone,
/// removes the root's sockets and CPU samples from /run/berth, gives the network namespace
/// a fresh start and records a new boot id: the state a reboot leaves.
fn simulate_reboot(ns: &NetNs, b: &Berth) {
    let ids = b.container_ids();
    for id in &ids {
        let st = b.state(id);
        let shim = st["shim_pid"].as_i64().unwrap_or(0) as i32;
        if shim > 0 {
            // SAFETY: kill(2) of this test's own shim, by the pid its record names.
            unsafe { libc::kill(shim, libc::SIGKILL) };
        }
    }
    for id in &ids {
        wait_until("the shims and their containers to die", SECS10, &mut || {
            b.processes_of(id).is_empty()
        });
    }
    let prefix = socket_prefix(&b.root());
    for e in std::fs::read_dir("/run/berth")
        .expect("/run/berth")
        .flatten()
    {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(e.path()).expect("remove runtime file");
        }
    }
    ns.reset();
    for id in &ids {
        let path = b.container_dir(id).join("state.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut st: serde_json::Value = serde_json::from_str(&text).expect("state json");
        if st.get("boot_id").is_some() {
            st["boot_id"] = "00000000-0000-0000-0000-000000000000".into();
            std::fs::write(&path, st.to_string()).expect("write state");
        }
    }
}

#[test]
fn after_a_reboot_ps_is_right_and_system_boot_restarts_by_policy() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    ns.ok(&b, &["network", "create", "app"]);
    let detached = |name: &str, extra: &[&str]| {
        let mut args = vec!["run", "-d", "--name", name];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["busybox", "sleep", "600"]);
        ns.ok(&b, &args);
    };
    detached("always", &["--restart", "always", "--network", "app"]);
    detached(
        "unless",
        &["--restart", "unless-stopped", "--network", "app"],
    );
    detached("stopped", &["--restart", "unless-stopped"]);
    detached("plain", &["-p", "127.0.0.1:8080:80"]);
    ns.ok(&b, &["stop", "-t", "0", "stopped"]);
    ns.ok(
        &b,
        &[
            "create",
            "--name",
            "fresh",
            "--restart",
            "always",
            "busybox",
            "true",
        ],
    );
    let out = ns.berth(
        &b,
        &["run", "--name", "failed", "busybox", "sh", "-c", "exit 3"],
    );
    assert_eq!(out.code, 3, "{out:?}");

    simulate_reboot(&ns, &b);

    let st = statuses(&ns, &b);
    for name in ["always", "unless", "plain"] {
        assert!(st[name].starts_with("Exited (255)"), "{name}: {st:?}");
    }
    assert!(st["stopped"].starts_with("Exited (137)"), "{st:?}");
    assert!(st["failed"].starts_with("Exited (3)"), "{st:?}");
    assert_eq!(st["fresh"], "Created", "{st:?}");
    let error = b.state(&b.id_of("plain"))["error"].to_string();
    assert!(error.contains("host restarted"), "{error}");

    let out = ns.berth(&b, &["system", "boot"]);
    assert_eq!(out.code, 0, "{out:?}");
    let mut started: Vec<&str> = out.stdout.lines().collect();
    started.sort();
    assert_eq!(started, ["always", "unless"], "{out:?}");
    let st = statuses(&ns, &b);
    for name in ["always", "unless"] {
        assert!(st[name].starts_with("Up"), "{name}: {st:?}");
    }
    for name in ["stopped", "plain", "failed"] {
        assert!(st[name].starts_with("Exited"), "{name}: {st:?}");
    }
    assert_eq!(st["fresh"], "Created", "{st:?}");
    // The network came back with them: names resolve on the user network again.
    let pid = b.state(&b.id_of("unless"))["pid"].as_i64().expect("pid");
    let ping = in_container(pid, &["ping", "-c", "1", "-W", "2", "always"]);
    assert_eq!(ping.code, 0, "{ping:?}");

    // The others start by hand, published port included.
    ns.ok(&b, &["start", "plain", "stopped", "fresh"]);
    let st = statuses(&ns, &b);
    assert!(st["plain"].starts_with("Up"), "{st:?}");
    assert!(st["stopped"].starts_with("Up"), "{st:?}");
    // A second boot finds nothing to do.
    let out = ns.berth(&b, &["system", "boot"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{out:?}");
}
