//! A container's life as the CLI drives it (root only): detached runs that outlive the CLI,
//! logs (follow, tail, timestamps, since), stop/kill/pause/unpause/rename/wait/start -a/
//! restart, `rm -f`, and restart policies applied by the shim.

#[path = "../common/container_harness.rs"]
mod harness;
mod restart_and_finish;

use harness::{Berth, LineReader, alive, cgroup_v2_frozen, proc_state, wait_child};
use std::time::{Duration, Instant};

const SECS10: Duration = Duration::from_secs(10);

/// A loop that prints `tick N` every 0.1 s and exits 0 on SIGTERM.
const TICKER: &str =
    "trap 'echo bye; exit 0' TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done";

fn pid_of(b: &Berth, id: &str) -> i32 {
    b.state(id)["pid"].as_i64().expect("pid") as i32
}

fn log_lines(b: &Berth, name: &str) -> Vec<String> {
    b.ok(&["logs", name]).lines().map(str::to_string).collect()
}

#[test]
fn detached_container_outlives_the_cli_and_logs_follow_streams() {
    let b = Berth::new();
    let id = b.run_detached(&["--name", "ticker", "busybox", "sh", "-c", TICKER]);
    // `run -d` has exited; the container runs on under its shim, which is not our child.
    assert_eq!(b.status(&id), "running");
    let pid = pid_of(&b, &id);
    assert!(alive(pid), "container process {pid} is gone");
    let shim = b.state(&id)["shim_pid"].as_i64().expect("shim_pid") as i32;
    let stat = std::fs::read_to_string(format!("/proc/{shim}/stat")).expect("shim stat");
    let ppid: u32 = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(1))
        .and_then(|p| p.parse().ok())
        .expect("ppid");
    assert_ne!(ppid, std::process::id(), "the shim is the test's child");

    let mut follow = b.spawn(&["logs", "-f", "ticker"]);
    let lines = LineReader::new(&mut follow);
    let mut seen = Vec::new();
    // Lines keep arriving while we follow: at least 10 in a row, in order.
    while seen.len() < 10 {
        let line = lines
            .next_line(SECS10)
            .unwrap_or_else(|| panic!("logs -f stalled after {seen:?}"));
        seen.push(line);
    }
    let numbers: Vec<u32> = seen
        .iter()
        .map(|l| {
            l.strip_prefix("tick ")
                .expect("tick line")
                .parse()
                .expect("n")
        })
        .collect();
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "{numbers:?}");
    b.ok(&["stop", "ticker"]);
    // logs -f ends by itself once the container has stopped, after the last line.
    let status = wait_child(&mut follow, SECS10, "logs -f after stop");
    assert!(status.success(), "logs -f exited with {status}");
    let mut rest = Vec::new();
    while let Some(l) = lines.next_line(Duration::from_secs(1)) {
        rest.push(l);
    }
    assert_eq!(rest.last().map(String::as_str), Some("bye"), "{rest:?}");
    let st = b.state(&id);
    assert_eq!(
        (st["status"].as_str(), st["exit_code"].as_i64()),
        (Some("exited"), Some(0))
    );
    b.assert_no_leftovers(&id);
}

#[test]
fn stop_kills_a_container_that_ignores_sigterm_after_the_timeout() {
    let b = Berth::new();
    // sh as pid 1 without a trap ignores SIGTERM (the kernel protects a namespace's init).
    let id = b.run_detached(&["busybox", "sh", "-c", "while true; do sleep 1; done"]);
    let pid = pid_of(&b, &id);
    let started = Instant::now();
    b.ok(&["stop", "-t", "2", &id]);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1500) && took <= Duration::from_secs(6),
        "stop -t 2 took {took:?}"
    );
    let st = b.state(&id);
    assert_eq!(st["status"], "exited", "{st}");
    assert_eq!(st["exit_code"], 137, "{st}");
    assert!(!alive(pid), "process {pid} survived stop");
    assert_eq!(b.ok(&["wait", &id]), "137\n");
    b.assert_no_leftovers(&id);
    // Stopping a stopped container is fine.
    b.ok(&["stop", &id]);
}

#[test]
fn stop_of_a_cooperative_container_is_quick() {
    let b = Berth::new();
    let id = b.run_detached(&["busybox", "sh", "-c", TICKER]);
    let started = Instant::now();
    b.ok(&["stop", "-t", "10", &id]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(b.state(&id)["exit_code"], 0);
}

#[test]
fn kill_sends_the_signal_to_the_first_process() {
    let b = Berth::new();
    let script = "trap 'echo got-term; exit 42' TERM; echo ready; while true; do sleep 0.1; done";
    let id = b.run_detached(&["--name", "trapper", "busybox", "sh", "-c", script]);
    b.wait_until("the trap to be set", SECS10, || {
        log_lines(&b, "trapper").iter().any(|l| l == "ready")
    });
    b.ok(&["kill", "-s", "TERM", "trapper"]);
    b.wait_status(&id, "exited", SECS10);
    assert_eq!(b.state(&id)["exit_code"], 42);
    assert_eq!(log_lines(&b, "trapper"), ["ready", "got-term"]);
    // kill without -s is SIGKILL; of a stopped container it is an error.
    let out = b.run(&["kill", "trapper"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let id2 = b.run_detached(&["busybox", "sleep", "60"]);
    b.ok(&["kill", &id2]);
    b.wait_status(&id2, "exited", SECS10);
    assert_eq!(b.state(&id2)["exit_code"], 137);
    b.assert_no_leftovers(&id2);
}

#[test]
fn rm_force_of_a_running_container_leaves_nothing() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "doomed",
        "-v",
        "vol1:/data",
        "--tmpfs",
        "/scratch",
        "busybox",
        "sh",
        "-c",
        "sleep 60 & sleep 60 & while true; do sleep 1; done",
    ]);
    let pid = pid_of(&b, &id);
    // The checks below can see a container: while it runs it has traces.
    assert!(
        !b.leftovers(&id).is_empty(),
        "a running container shows no traces"
    );
    let root_traces = b.root_leftovers();
    assert!(
        root_traces.iter().any(|t| t.starts_with("mount"))
            && root_traces.iter().any(|t| t.starts_with("socket")),
        "{root_traces:#?}"
    );
    let out = b.run(&["rm", "doomed"]);
    assert_ne!(out.code, 0, "rm without -f removed a running container");
    assert_eq!(b.status(&id), "running");
    b.ok(&["rm", "-f", "doomed"]);
    assert!(!b.container_dir(&id).exists(), "the record is still there");
    assert!(!alive(pid), "process {pid} survived rm -f");
    b.assert_no_leftovers(&id);
    assert!(b.root_leftovers().is_empty(), "{:?}", b.root_leftovers());
    // The named volume outlives the container.
    assert!(b.root().join("volumes/vol1/_data").is_dir());
    let out = b.run(&["rm", "doomed"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("doomed"), "{out:?}");
}

#[test]
fn pause_freezes_and_unpause_resumes() {
    let b = Berth::new();
    let id = b.run_detached(&["--name", "frozen", "busybox", "sh", "-c", TICKER]);
    b.wait_until("output", SECS10, || log_lines(&b, "frozen").len() >= 2);
    b.ok(&["pause", "frozen"]);
    assert_eq!(b.status(&id), "paused");
    let pid = pid_of(&b, &id);
    // Frozen tasks show as D (or T) under v1's freezer; under v2's the cgroup says
    // `frozen 1` and its tasks show as sleeping.
    b.wait_until("the process to be frozen", SECS10, || {
        matches!(proc_state(pid), Some('D') | Some('T')) || cgroup_v2_frozen(&id)
    });
    let before = log_lines(&b, "frozen").len();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        log_lines(&b, "frozen").len(),
        before,
        "a paused container kept printing"
    );
    let out = b.run(&["pause", "frozen"]);
    assert_ne!(out.code, 0, "pausing twice: {out:?}");
    let out = b.run(&["start", "frozen"]);
    assert_ne!(out.code, 0, "start of a paused container: {out:?}");
    b.ok(&["unpause", "frozen"]);
    assert_eq!(b.status(&id), "running");
    b.wait_until("output to resume", SECS10, || {
        log_lines(&b, "frozen").len() > before + 2
    });
    let out = b.run(&["unpause", "frozen"]);
    assert_ne!(out.code, 0, "unpausing a running container: {out:?}");
    // A paused container can be stopped.
    b.ok(&["pause", "frozen"]);
    b.ok(&["stop", "-t", "2", "frozen"]);
    assert_eq!(b.status(&id), "exited");
    b.assert_no_leftovers(&id);
}

#[test]
fn rename_wait_and_start_attached() {
    let b = Berth::new();
    let out = b.ok(&[
        "create",
        "--name",
        "before",
        "busybox",
        "sh",
        "-c",
        "echo attached-out; echo attached-err >&2; exit 4",
    ]);
    let id = out.trim().to_string();
    assert_eq!(b.status(&id), "created");
    b.ok(&["rename", "before", "after"]);
    assert_eq!(b.id_of("after"), id);
    let out = b.run(&["start", "before"]);
    assert_ne!(out.code, 0, "the old name still works: {out:?}");
    let out = b.run(&["start", "-a", "after"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.stdout, "attached-out\n");
    assert_eq!(out.stderr, "attached-err\n");
    assert_eq!(b.ok(&["wait", "after"]), "4\n");
    // Started again, attached again: the output comes again.
    let out = b.run(&["start", "-a", "after"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (4, "attached-out\n"),
        "{out:?}"
    );
    // logs keeps the streams apart, as Docker does.
    let logs = b.run(&["logs", "after"]);
    assert_eq!(logs.stdout, "attached-out\nattached-out\n", "{logs:?}");
    assert_eq!(logs.stderr, "attached-err\nattached-err\n", "{logs:?}");

    // wait blocks until the exit and prints the code.
    let id2 = b.run_detached(&["busybox", "sh", "-c", "sleep 0.5; exit 7"]);
    let started = Instant::now();
    assert_eq!(b.ok(&["wait", &id2]), "7\n");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(b.status(&id2), "exited");
    b.assert_no_leftovers(&id2);
    // Renaming onto a taken name fails and changes nothing.
    let name2 = b.config(&id2)["name"].as_str().expect("name").to_string();
    let out = b.run(&["rename", &id2, "after"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("'after'"), "{out:?}");
    assert_eq!(b.config(&id2)["name"], name2.as_str());
    assert_eq!(b.id_of("after"), id);
}

#[test]
fn restart_runs_the_container_again() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "again",
        "busybox",
        "sh",
        "-c",
        "echo started; trap 'exit 0' TERM; while true; do sleep 0.1; done",
    ]);
    b.wait_until("first start", SECS10, || {
        log_lines(&b, "again") == ["started"]
    });
    let pid = pid_of(&b, &id);
    b.ok(&["restart", "-t", "2", "again"]);
    assert_eq!(b.status(&id), "running");
    assert_ne!(pid_of(&b, &id), pid);
    assert!(!alive(pid), "the old process survived restart");
    b.wait_until("second start", SECS10, || {
        log_lines(&b, "again") == ["started", "started"]
    });
    // restart of a stopped container starts it.
    b.ok(&["stop", "again"]);
    b.ok(&["restart", "again"]);
    assert_eq!(b.status(&id), "running");
}

#[test]
fn logs_tail_timestamps_and_since() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "counted",
        "busybox",
        "sh",
        "-c",
        "for i in 1 2 3 4 5; do echo line $i; sleep 0.05; done",
    ]);
    assert_eq!(b.ok(&["wait", &id]), "0\n");
    assert_eq!(
        b.ok(&["logs", "--tail", "2", "counted"]),
        "line 4\nline 5\n"
    );
    assert_eq!(b.ok(&["logs", "--tail", "0", "counted"]), "");
    assert_eq!(b.ok(&["logs", "counted"]).lines().count(), 5);
    let stamped = b.ok(&["logs", "-t", "counted"]);
    let mut stamps = Vec::new();
    for (i, l) in stamped.lines().enumerate() {
        let (ts, text) = l.split_once(' ').expect("timestamp and text");
        assert_eq!(text, format!("line {}", i + 1));
        let t = chrono::DateTime::parse_from_rfc3339(ts)
            .unwrap_or_else(|e| panic!("'{ts}' is not RFC 3339: {e}"));
        stamps.push((ts.to_string(), t));
    }
    assert_eq!(stamps.len(), 5);
    assert!(stamps.windows(2).all(|w| w[0].1 <= w[1].1), "{stamped}");
    // --since takes an RFC 3339 time (inclusive) or a duration ago.
    let third = &stamps[2].0;
    assert_eq!(
        b.ok(&["logs", "--since", third, "counted"]),
        "line 3\nline 4\nline 5\n"
    );
    assert_eq!(
        b.ok(&["logs", "--since", "1h", "counted"]).lines().count(),
        5
    );
    assert_eq!(
        b.ok(&["logs", "--since", "2999-01-01T00:00:00Z", "counted"]),
        ""
    );
    let out = b.run(&["logs", "--since", "yesterday-ish", "counted"]);
    assert_eq!(out.code, 125, "{out:?}");
    // The log file is Docker's json-file format.
    let log = std::fs::read_to_string(b.container_dir(&id).join(format!("{id}-json.log")))
        .expect("json log");
    let first: serde_json::Value =
        serde_json::from_str(log.lines().next().expect("a line")).expect("json line");
    assert_eq!(first["log"], "line 1\n");
    assert_eq!(first["stream"], "stdout");
    assert!(first["time"].is_string());
}
