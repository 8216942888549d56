//! Reliability end to end (root only): a killed shim or CLI is reconciled, concurrent runs
//! never collide, and images survive a save/load round trip into a fresh root.

#[path = "common/container_harness.rs"]
mod harness;

use harness::{Berth, alive, cgroup_dirs};
use std::collections::HashSet;
use std::time::Duration;

const SECS10: Duration = Duration::from_secs(10);

#[test]
fn a_killed_shim_is_reconciled_by_the_next_call() {
    let b = Berth::new();
    let id = b.run_detached(&["--name", "orphan", "busybox", "sleep", "300"]);
    let st = b.state(&id);
    let shim = st["shim_pid"].as_i64().expect("shim_pid") as i32;
    let pid = st["pid"].as_i64().expect("pid") as i32;
    assert!(shim > 0 && alive(shim) && alive(pid), "{st}");
    // The shim is this test's container's supervisor: kill it by its recorded pid.
    // SAFETY: kill(2) of the shim this test started (pid read from its own state root).
    assert_eq!(unsafe { libc::kill(shim, libc::SIGKILL) }, 0);
    b.wait_until("the shim to die", SECS10, || !alive(shim));
    // The container's process dies with its shim.
    b.wait_until("the container process to die", SECS10, || !alive(pid));

    // The next berth call notices and records it.
    let out = b.run(&["wait", "orphan"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "137\n");
    let st = b.state(&id);
    assert_eq!(st["status"], "exited", "{st}");
    assert_eq!(st["exit_code"], 137, "{st}");
    assert_eq!(st["pid"], 0, "{st}");
    assert!(
        st["error"].as_str().unwrap_or_default().contains("shim"),
        "no reason recorded: {st}"
    );
    for cg in cgroup_dirs(&id) {
        assert!(!cg.exists(), "cgroup {} left behind", cg.display());
    }
    b.assert_no_leftovers(&id);
    // And the container can be started again.
    b.ok(&["start", "orphan"]);
    assert_eq!(b.status(&id), "running");
}

#[test]
fn a_killed_cli_leaves_the_container_running() {
    let b = Berth::new();
    let mut cli = b.spawn(&[
        "run",
        "--name",
        "fg",
        "busybox",
        "sh",
        "-c",
        "trap 'exit 0' TERM; while true; do echo tick; sleep 0.1; done",
    ]);
    b.wait_until("the container to run", SECS10, || {
        b.container_ids().len() == 1 && b.status(&b.id_of("fg")) == "running"
    });
    let id = b.id_of("fg");
    cli.kill().expect("kill our own CLI child");
    let _ = cli.wait();
    let pid = b.state(&id)["pid"].as_i64().expect("pid") as i32;
    let lines = || b.ok(&["logs", "fg"]).lines().count();
    let before = lines();
    b.wait_until("output to continue", SECS10, || lines() > before + 3);
    assert!(alive(pid));
    assert_eq!(b.status(&id), "running");
    b.ok(&["stop", "fg"]);
    assert_eq!(b.state(&id)["exit_code"], 0);
    b.assert_no_leftovers(&id);
}

#[test]
fn eight_concurrent_runs_all_succeed_with_distinct_names_and_ids() {
    let b = Berth::new();
    let outs: Vec<harness::Out> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| b.run(&["run", "-d", "busybox", "sleep", "60"])))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut ids = HashSet::new();
    for out in &outs {
        assert_eq!(out.code, 0, "{out:?}");
        ids.insert(out.stdout.trim().to_string());
    }
    assert_eq!(ids.len(), 8, "{outs:?}");
    let on_disk: HashSet<String> = b.container_ids().into_iter().collect();
    assert_eq!(on_disk, ids);
    let names: HashSet<String> = ids
        .iter()
        .map(|id| b.config(id)["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");
    for id in &ids {
        assert_eq!(b.status(id), "running", "{id}");
    }
}

#[test]
fn concurrent_runs_with_one_name_make_exactly_one_container() {
    let b = Berth::new();
    let outs: Vec<harness::Out> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| b.run(&["run", "-d", "--name", "only", "busybox", "sleep", "60"])))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let winners: Vec<&harness::Out> = outs.iter().filter(|o| o.code == 0).collect();
    assert_eq!(winners.len(), 1, "{outs:?}");
    for o in outs.iter().filter(|o| o.code != 0) {
        assert_eq!(o.code, 125, "{o:?}");
        assert!(o.stderr.contains("'only'"), "{o:?}");
    }
    assert_eq!(
        b.container_ids(),
        vec![winners[0].stdout.trim().to_string()]
    );
}

#[test]
fn save_then_load_round_trips_into_a_fresh_root() {
    let b = Berth::new();
    let out_dir = b.scratch("archive");
    let tar = out_dir.join("busybox.tar");
    b.ok(&["save", "-o", tar.to_str().expect("path"), "busybox:latest"]);
    assert!(std::fs::metadata(&tar).expect("saved tar").len() > 1_000_000);

    let fresh = Berth::empty();
    let out = fresh.run(&["run", "--rm", "busybox", "true"]);
    assert_eq!(out.code, 125, "the fresh root already has busybox: {out:?}");
    fresh.ok(&["load", "-i", tar.to_str().expect("path")]);
    let out = fresh.ok(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "echo loaded; ls /bin/sh",
    ]);
    assert_eq!(out, "loaded\n/bin/sh\n");
    // The CMD survived the trip too.
    let out = fresh.run(&["run", "--rm", "busybox"]);
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn unknown_containers_are_one_line_errors() {
    let b = Berth::new();
    for verb in [
        &["stop", "ghost"][..],
        &["start", "ghost"],
        &["kill", "ghost"],
        &["rm", "ghost"],
        &["logs", "ghost"],
        &["wait", "ghost"],
        &["pause", "ghost"],
        &["rename", "ghost", "spirit"],
    ] {
        let out = b.run(verb);
        assert_ne!(out.code, 0, "berth {verb:?}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "berth {verb:?}: {out:?}");
        assert!(out.stderr.contains("ghost"), "berth {verb:?}: {out:?}");
    }
    assert!(b.container_ids().is_empty());
}

#[test]
fn a_record_left_running_by_a_reboot_is_marked_exited() {
    let b = Berth::new();
    let out = b.ok(&["create", "--name", "stale", "busybox", "sleep", "60"]);
    let id = out.trim().to_string();
    // A process that existed and is gone: its pid is as dead as a pid from before a reboot.
    let mut gone = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let dead = gone.id() as i64;
    gone.wait().expect("reap");
    let state_path = b.container_dir(&id).join("state.json");
    let mut st = b.state(&id);
    st["status"] = "running".into();
    st["pid"] = dead.into();
    st["shim_pid"] = dead.into();
    st["shim_start"] = 1.into();
    std::fs::write(&state_path, st.to_string()).expect("write state");

    let out = b.run(&["wait", "stale"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "137\n"), "{out:?}");
    let st = b.state(&id);
    assert_eq!(st["status"], "exited", "{st}");
    assert!(!st["error"].as_str().unwrap_or_default().is_empty(), "{st}");
    // It starts again normally.
    b.ok(&["start", "stale"]);
    assert_eq!(b.status(&id), "running");
}
