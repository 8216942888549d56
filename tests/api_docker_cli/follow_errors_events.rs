//! docker logs -f, kill, wait, restart, run -it, Docker's JSON errors, pause/rename/top/tag/history/prune, events and stats against berth's socket.

use super::*;

#[test]
fn docker_logs_follow_kill_wait_and_restart() {
    let b = Berth::new();
    let s = Service::start(&b);
    let id = s.ok(&[
        "run",
        "-d",
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "echo a; sleep 1; echo b",
    ]);
    let id = id.trim();
    // -f ends when the container does, with every line.
    assert_eq!(s.ok(&["logs", "-f", id]), "a\nb\n");
    assert_eq!(s.ok(&["wait", id]).trim(), "0");
    s.ok(&["start", id]);
    s.ok(&["kill", id]);
    assert_eq!(s.ok(&["wait", id]).trim(), "137");
    let again = s.docker(&["kill", id]);
    assert_ne!(
        again.code, 0,
        "killing a stopped container fails: {again:?}"
    );
    s.ok(&["restart", "-t", "1", id]);
    let st = s.ok(&["inspect", "--format", "{{.State.Status}}", id]);
    assert_eq!(st.trim(), "running");
    s.ok(&["rm", "-f", id]);
}

#[test]
fn docker_run_it_gets_a_terminal() {
    let b = Berth::new();
    let s = Service::start(&b);
    // script(1) gives the docker CLI a pty, as a user's terminal would.
    let line = "docker run -it --rm --network none busybox sh -c 'tty; echo done'";
    let out = Command::new("script")
        .args(["-qec", line, "/dev/null"])
        .env("DOCKER_HOST", format!("unix://{}", s.sock.display()))
        .env("DOCKER_CONFIG", &s.docker_config)
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("/dev/pts/0"), "{text}");
    assert!(
        text.contains("done\r\n"),
        "the tty's line endings: {text:?}"
    );
}

#[test]
fn bad_requests_get_dockers_json_errors() {
    use std::io::{Read, Write};
    let b = Berth::empty();
    let s = Service::start(&b);
    let ask = |req: &str| -> String {
        let mut c = std::os::unix::net::UnixStream::connect(&s.sock).expect("connect");
        c.write_all(req.as_bytes()).expect("write");
        let mut out = String::new();
        c.read_to_string(&mut out).expect("read");
        out
    };
    let bad = ask(
        "POST /v1.47/containers/create HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: 4\r\n\r\n{bad",
    );
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
    assert!(bad.contains(r#"{"message":"invalid JSON"#), "{bad}");
    let unknown = ask("GET /v1.47/no/such/thing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(unknown.starts_with("HTTP/1.1 404"), "{unknown}");
    assert!(
        unknown.contains(r#""message":"page not found"#),
        "{unknown}"
    );
    let missing = ask("GET /containers/nope/json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    let ping = ask("HEAD /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(ping.starts_with("HTTP/1.1 200"), "{ping}");
    assert!(ping.to_lowercase().contains("api-version: 1.47"), "{ping}");
}

#[test]
fn docker_pause_rename_top_tag_history_and_prune() {
    let b = Berth::new();
    let s = Service::start(&b);
    s.ok(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "t1",
        "busybox",
        "sleep",
        "100",
    ]);
    let top = s.ok(&["top", "t1"]);
    assert!(top.starts_with("UID") && top.contains("sleep 100"), "{top}");
    s.ok(&["pause", "t1"]);
    let st = s.ok(&["inspect", "--format", "{{.State.Status}}", "t1"]);
    assert_eq!(st.trim(), "paused");
    s.ok(&["unpause", "t1"]);
    s.ok(&["rename", "t1", "t2"]);
    assert_eq!(s.ok(&["ps", "--format", "{{.Names}}"]).trim(), "t2");
    assert_eq!(b.ok(&["ps", "--format", "{{.Names}}"]).trim(), "t2");
    s.ok(&["rm", "-f", "t2"]);

    s.ok(&["tag", "busybox", "mybox:1"]);
    let tags = s.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(tags.lines().any(|l| l == "mybox:1"), "{tags}");
    let hist = s.ok(&["history", "--format", "{{.Size}}", "mybox:1"]);
    assert_eq!(hist.lines().count(), 1, "one layer: {hist}");

    s.ok(&["run", "--network", "none", "busybox", "true"]);
    let pruned = s.ok(&["container", "prune", "-f"]);
    assert!(pruned.contains("Deleted Containers:"), "{pruned}");
    assert_eq!(s.ok(&["ps", "-aq"]).trim(), "");
    s.ok(&["volume", "create", "junk"]);
    // `-a` came with API 1.42; older clients (docker.io 20.10) prune every unused volume.
    let mut pruned = s.docker(&["volume", "prune", "-af"]);
    if pruned.code != 0 && pruned.stderr.contains("unknown shorthand flag") {
        pruned = s.docker(&["volume", "prune", "-f"]);
    }
    assert_eq!(pruned.code, 0, "{pruned:?}");
    let pruned = pruned.stdout;
    assert!(pruned.contains("junk"), "{pruned}");
    s.ok(&["rmi", "mybox:1"]);
}

#[test]
fn docker_events_replays_the_journal_with_filters() {
    let b = Berth::new();
    let s = Service::start(&b);
    let secs = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
    };
    let since = secs().to_string();
    s.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--name",
        "ev1",
        "busybox",
        "true",
    ]);
    s.ok(&[
        "run",
        "--network",
        "none",
        "--name",
        "ev2",
        "busybox",
        "true",
    ]);
    // Whole seconds: `until` one past now takes in everything recorded so far.
    let until = (secs() + 1).to_string();
    let window = ["events", "--since", &since, "--until", &until];
    let actions = s.ok(&[
        &window[..],
        &["--filter", "container=ev1", "--format", "{{.Action}}"],
    ]
    .concat());
    assert_eq!(actions, "create\nstart\ndie\ndestroy\n");
    let starts = s.ok(&[
        &window[..],
        &[
            "--filter",
            "event=start",
            "--format",
            "{{.Actor.Attributes.name}}",
        ],
    ]
    .concat());
    assert_eq!(starts, "ev1\nev2\n");
}

#[test]
fn docker_stats_no_stream_reads_the_container() {
    let b = Berth::new();
    let s = Service::start(&b);
    s.ok(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "st",
        "-m",
        "64m",
        "busybox",
        "sleep",
        "100",
    ]);
    let row = s.ok(&[
        "stats",
        "--no-stream",
        "--format",
        "{{.Name}} {{.PIDs}} {{.MemUsage}}",
        "st",
    ]);
    assert!(
        row.starts_with("st 1 ") && row.trim_end().ends_with("/ 64MiB"),
        "{row}"
    );
    s.ok(&["rm", "-f", "st"]);
}
