//! Restart policies (on-failure, always, unless-stopped) and how a container's end is seen: wait, logs after --rm, rm -v, an attached run.

use super::*;

#[test]
fn restart_on_failure_retries_up_to_the_limit() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "flaky",
        "--restart",
        "on-failure:2",
        "busybox",
        "sh",
        "-c",
        "echo run; exit 1",
    ]);
    b.wait_until("three runs and a final exit", SECS10, || {
        let st = b.state(&id);
        st["status"] == "exited" && st["restart_count"] == 2
    });
    assert_eq!(log_lines(&b, "flaky"), ["run", "run", "run"]);
    let st = b.state(&id);
    assert_eq!(st["exit_code"], 1, "{st}");
    b.assert_no_leftovers(&id);
    // It stays exited.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(log_lines(&b, "flaky").len(), 3);

    // on-failure does not restart a success.
    let ok = b.run_detached(&[
        "--restart",
        "on-failure",
        "busybox",
        "sh",
        "-c",
        "echo once",
    ]);
    b.wait_status(&ok, "exited", SECS10);
    assert_eq!(b.state(&ok)["restart_count"], 0);
}

#[test]
fn restart_always_restarts_a_success_until_stopped() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "forever",
        "--restart",
        "always",
        "busybox",
        "sh",
        "-c",
        "echo up; trap 'exit 0' TERM; sleep 0.2",
    ]);
    b.wait_until("at least three runs", SECS10, || {
        log_lines(&b, "forever").len() >= 3
    });
    assert!(b.state(&id)["restart_count"].as_u64().expect("count") >= 2);
    b.ok(&["stop", "-t", "2", "forever"]);
    let st = b.state(&id);
    assert_eq!(st["status"], "exited", "{st}");
    b.assert_no_leftovers(&id);
    let after = log_lines(&b, "forever").len();
    // Stopped for good: no run follows.
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(log_lines(&b, "forever").len(), after);
    assert_eq!(b.status(&id), "exited");
}

#[test]
fn restart_and_rm_conflict() {
    let b = Berth::new();
    let out = b.run(&["run", "--rm", "--restart", "always", "busybox", "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert!(b.container_ids().is_empty());
}

#[test]
fn stop_during_the_restart_back_off_ends_it() {
    let b = Berth::new();
    let id = b.run_detached(&["--restart", "always", "busybox", "sh", "-c", "exit 1"]);
    b.wait_until("a few restarts", SECS10, || {
        b.state(&id)["restart_count"].as_u64().unwrap_or(0) >= 3
    });
    let started = Instant::now();
    b.ok(&["stop", "-t", "2", &id]);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let st = b.state(&id);
    assert_eq!(st["status"], "exited", "{st}");
    b.assert_no_leftovers(&id);
    let count = st["restart_count"].clone();
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(
        b.state(&id)["restart_count"],
        count,
        "it restarted after stop"
    );
    assert_eq!(b.status(&id), "exited");
}

#[test]
fn restart_unless_stopped_restarts_failures_and_successes() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "persistent",
        "--restart",
        "unless-stopped",
        "busybox",
        "sh",
        "-c",
        "echo go; sleep 0.1",
    ]);
    b.wait_until("two restarts", SECS10, || {
        b.state(&id)["restart_count"].as_u64().unwrap_or(0) >= 2
    });
    b.ok(&["stop", "persistent"]);
    assert_eq!(b.status(&id), "exited");
    b.assert_no_leftovers(&id);
}

#[test]
fn wait_and_logs_of_finished_and_auto_removed_containers() {
    let b = Berth::new();
    // wait on a --rm container reports its code even though it is removed when it ends.
    let id = b.run_detached(&["--rm", "busybox", "sh", "-c", "sleep 1.5; exit 5"]);
    assert_eq!(b.ok(&["wait", &id]), "5\n");
    assert!(
        !b.container_dir(&id).exists(),
        "--rm container still there after wait"
    );
    b.assert_no_leftovers(&id);
    // logs -f of an exited container prints and returns at once.
    let done = b.run_detached(&["busybox", "echo", "finished"]);
    b.wait_status(&done, "exited", SECS10);
    let started = Instant::now();
    assert_eq!(b.ok(&["logs", "-f", &done]), "finished\n");
    assert!(started.elapsed() < Duration::from_secs(3));
    // start of a running container does nothing and succeeds.
    let running = b.run_detached(&["busybox", "sleep", "60"]);
    let pid = pid_of(&b, &running);
    b.ok(&["start", &running]);
    assert_eq!(pid_of(&b, &running), pid);
}

#[test]
fn rm_v_removes_anonymous_volumes_only() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "-v",
        "/anon",
        "-v",
        "named:/named",
        "busybox",
        "sh",
        "-c",
        "echo a > /anon/f; echo n > /named/f",
    ]);
    b.wait_status(&id, "exited", SECS10);
    let anon = b.config(&id)["mounts"]
        .as_array()
        .expect("mounts")
        .iter()
        .find(|m| m["destination"] == "/anon")
        .and_then(|m| m["source"].as_str())
        .expect("anonymous volume")
        .to_string();
    let vols = b.root().join("volumes");
    assert_eq!(
        std::fs::read_to_string(vols.join(&anon).join("_data/f")).expect("anon data"),
        "a\n"
    );
    b.ok(&["rm", "-v", &id]);
    assert!(
        !vols.join(&anon).exists(),
        "rm -v kept the anonymous volume"
    );
    assert!(
        vols.join("named/_data/f").exists(),
        "rm -v removed a named volume"
    );
}

#[test]
fn an_attached_run_ends_with_the_container() {
    let b = Berth::new();
    // stop from another CLI: the attached one returns the container's code.
    let mut fg = b.spawn(&["run", "--name", "fg", "busybox", "sh", "-c", TICKER]);
    let lines = LineReader::new(&mut fg);
    assert_eq!(lines.next_line(SECS10).as_deref(), Some("tick 0"));
    b.ok(&["stop", "fg"]);
    let status = wait_child(&mut fg, SECS10, "attached run after stop");
    assert_eq!(status.code(), Some(0));

    // SIGTERM to the attached CLI is passed on to the container (Docker's sig-proxy).
    let mut fg2 = b.spawn(&["run", "--name", "fg2", "busybox", "sh", "-c", TICKER]);
    let lines2 = LineReader::new(&mut fg2);
    assert_eq!(lines2.next_line(SECS10).as_deref(), Some("tick 0"));
    // SAFETY: kill(2) of our own child process.
    assert_eq!(unsafe { libc::kill(fg2.id() as i32, libc::SIGTERM) }, 0);
    let status = wait_child(&mut fg2, SECS10, "attached run after SIGTERM");
    assert_eq!(status.code(), Some(0));
    let mut rest = Vec::new();
    while let Some(l) = lines2.next_line(Duration::from_secs(1)) {
        rest.push(l);
    }
    assert_eq!(rest.last().map(String::as_str), Some("bye"), "{rest:?}");
    let id = b.id_of("fg2");
    assert_eq!(b.status(&id), "exited");
    b.assert_no_leftovers(&id);
}
