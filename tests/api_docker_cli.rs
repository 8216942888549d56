//! The Docker Engine API served by `berth system service`, driven by the real docker CLI
//! (Docker's 28.x client, or Debian's `docker.io`; its daemon is never used). Each test has
//! its own state root and socket; the service is a child killed by pid at the end, also on
//! failure. Containers run with `--network none` (no bridges outside a namespace).

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use api_service::Service;
use harness::Berth;
use registry_harness::Registry;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn docker_version_info_ps_and_images_speak_to_berth() {
    let b = Berth::new();
    let s = Service::start(&b);
    let v = s.ok(&[
        "version",
        "--format",
        "{{.Server.APIVersion}} {{.Server.Os}}",
    ]);
    assert_eq!(v.trim(), "1.47 linux");
    // The same counts as berth's own `info` (no containers yet).
    let info = s.ok(&[
        "info",
        "--format",
        "{{.Images}} {{.Containers}} {{.OSType}}",
    ]);
    let own = b.ok(&["info", "--format", "{{.Images}} {{.Containers}}"]);
    assert_eq!(info.trim(), format!("{} linux", own.trim()));
    // One image (busybox), counted once although the index names it twice (by reference
    // and by id).
    assert_eq!(info, "1 0 linux\n");
    let ps = s.ok(&["ps", "-a"]);
    assert_eq!(ps.lines().count(), 1, "only the header: {ps}");
    assert!(ps.starts_with("CONTAINER ID"), "{ps}");
    let images = s.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert_eq!(images.trim(), "busybox:latest");
    // Unknown objects are Docker's 404s ("No such container" in either client's words).
    let gone = s.docker(&["rm", "nothing-here"]);
    assert_ne!(gone.code, 0);
    assert!(
        gone.stderr.to_lowercase().contains("no such container"),
        "{gone:?}"
    );
}

#[test]
fn docker_run_rm_prints_the_output_and_gives_the_exit_code() {
    let b = Berth::new();
    let s = Service::start(&b);
    let out = s.docker(&["run", "--rm", "--network", "none", "busybox", "echo", "hi"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "hi\n"), "{out:?}");
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "echo oops >&2; exit 3",
    ]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr.contains("oops"),
        "stderr is demultiplexed: {out:?}"
    );
    // A command that cannot start: dockerd's 127, and the --rm container goes too.
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "/nonexistent",
    ]);
    assert_eq!(out.code, 127, "{out:?}");
    // --rm: nothing is left, as berth's own CLI sees it.
    let ps = b.ok(&["ps", "-aq"]);
    assert_eq!(ps.trim(), "", "the --rm containers are gone");
}

#[test]
fn docker_run_d_logs_inspect_stop_rm() {
    let b = Berth::new();
    let s = Service::start(&b);
    let id = s.ok(&[
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "none",
        "--label",
        "tier=front",
        "busybox",
        "sh",
        "-c",
        "trap 'exit 0' TERM; echo out; echo err >&2; while true; do sleep 1; done",
    ]);
    let id = id.trim().to_string();
    assert_eq!(id.len(), 64, "run -d prints the id: {id}");
    assert_eq!(b.id_of("web"), id, "berth's own records see it");
    b.wait_until("both lines in the log", Duration::from_secs(20), || {
        let l = s.docker(&["logs", "web"]);
        l.stdout == "out\n" && l.stderr == "err\n"
    });
    let status = s.ok(&["inspect", "--format", "{{.State.Status}}", "web"]);
    assert_eq!(status.trim(), "running");
    let ps = s.ok(&[
        "ps",
        "--filter",
        "label=tier=front",
        "--format",
        "{{.Names}} {{.Status}}",
    ]);
    assert!(ps.starts_with("web Up"), "{ps}");
    let ps = s.ok(&["ps", "--filter", "name=nomatch", "-q"]);
    assert_eq!(ps.trim(), "");
    // The last line only (stderr's), with its time.
    let stamped = s.docker(&["logs", "-t", "--tail", "1", "web"]);
    assert_eq!(stamped.stdout, "", "{stamped:?}");
    assert!(
        stamped.stderr.ends_with("Z err\n") && stamped.stderr.starts_with("20"),
        "{stamped:?}"
    );

    assert_eq!(s.ok(&["stop", "web"]).trim(), "web");
    let status = s.ok(&[
        "inspect",
        "--format",
        "{{.State.Status}} {{.State.ExitCode}}",
        "web",
    ]);
    assert_eq!(status.trim(), "exited 0");
    assert_eq!(s.ok(&["rm", "web"]).trim(), "web");
    assert_eq!(s.ok(&["ps", "-aq"]).trim(), "");
    b.assert_no_leftovers(&id);
}

#[test]
fn docker_rm_of_a_running_container_is_a_conflict_unless_forced() {
    let b = Berth::new();
    let s = Service::start(&b);
    let id = s.ok(&["run", "-d", "--network", "none", "busybox", "sleep", "100"]);
    let refused = s.docker(&["rm", id.trim()]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(
        refused.stderr.contains("Error response from daemon"),
        "{refused:?}"
    );
    s.ok(&["rm", "-f", id.trim()]);
    assert_eq!(s.ok(&["ps", "-aq"]).trim(), "");
}

#[test]
fn docker_pull_rmi_and_image_inspect_against_a_loopback_registry() {
    let b = Berth::new();
    let s = Service::start(&b);
    let reg = Registry::plain();
    let reference = format!("{}/api/busybox:v1", reg.host);
    b.ok(&["tag", "busybox:latest", &reference]);
    b.ok(&["push", &reference]);
    let id = s.ok(&["image", "inspect", "--format", "{{.Id}}", "busybox:latest"]);

    let removed = s.ok(&["rmi", &reference]);
    assert!(
        removed.contains(&format!("Untagged: {reference}")),
        "{removed}"
    );
    let pulled = s.ok(&["pull", &reference]);
    assert!(
        pulled.contains("Status: Downloaded newer image for"),
        "{pulled}"
    );
    let images = s.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(images.contains(&reference), "{images}");
    let again = s.ok(&["image", "inspect", "--format", "{{.Id}}", &reference]);
    assert_eq!(again, id, "the pulled image is the pushed one");

    // `docker run` of an image that is not here: create's 404, a pull, create again.
    s.ok(&["rmi", &reference]);
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        &reference,
        "echo",
        "pulled",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "pulled\n");
    assert!(out.stderr.contains("Unable to find image"), "{out:?}");

    let missing = s.docker(&["pull", &format!("{}/api/nothing:v1", reg.host)]);
    assert_ne!(missing.code, 0, "{missing:?}");
}

#[test]
fn tcp_is_refused_and_the_idle_service_exits_by_itself() {
    let b = Berth::empty();
    let out = b.run(&["system", "service", "tcp://127.0.0.1:2375"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("only on a unix socket"), "{out:?}");

    let sock = b.scratch("idle").join("d.sock");
    let uri = format!("unix://{}", sock.display());
    let mut child = b
        .cmd(&["system", "service", "--time", "1", &uri])
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the service did not exit after its idle time");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    assert!(!sock.exists(), "the socket is removed on exit");
}

#[test]
fn docker_exec_gives_output_stdin_and_exit_code() {
    let b = Berth::new();
    let s = Service::start(&b);
    let id = s.ok(&["run", "-d", "--network", "none", "busybox", "sleep", "100"]);
    let id = id.trim();
    let out = s.docker(&["exec", id, "sh", "-c", "echo in-exec; echo e >&2; exit 4"]);
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("in-exec\n", "e\n")
    );
    let mut child = Command::new("docker")
        .env("DOCKER_HOST", format!("unix://{}", s.sock.display()))
        .env("DOCKER_CONFIG", &s.docker_config)
        .args(["exec", "-i", id, "cat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("docker exec -i");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"piped\n").expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped\n");
    s.ok(&["rm", "-f", id]);
}

#[test]
fn docker_volume_and_network_commands_see_berths_objects() {
    let b = Berth::new();
    let s = Service::start(&b);
    assert_eq!(s.ok(&["volume", "create", "data"]).trim(), "data");
    assert_eq!(s.ok(&["volume", "ls", "-q"]).trim(), "data");
    assert_eq!(
        b.ok(&["volume", "ls", "-q"]).trim(),
        "data",
        "berth sees it"
    );
    let v = s.ok(&[
        "volume",
        "inspect",
        "--format",
        "{{.Name}} {{.Driver}}",
        "data",
    ]);
    assert_eq!(v.trim(), "data local");
    s.ok(&["volume", "rm", "data"]);
    assert_eq!(s.ok(&["volume", "ls", "-q"]).trim(), "");
    assert_ne!(s.docker(&["volume", "inspect", "data"]).code, 0);

    let names = s.ok(&["network", "ls", "--format", "{{.Name}}"]);
    let mut names: Vec<&str> = names.lines().collect();
    names.sort();
    assert_eq!(names, ["bridge", "host", "none"]);
    let none = s.ok(&[
        "network",
        "inspect",
        "--format",
        "{{.Name}} {{.Driver}}",
        "none",
    ]);
    assert_eq!(none.trim(), "none null");
}

#[test]
fn a_socket_activated_service_serves_the_socket_systemd_passes() {
    let b = Berth::empty();
    let sock = b.scratch("activated").join("d.sock");
    // systemd's own tool: listens, then execs berth with LISTEN_FDS=1 on the first client.
    let mut cmd = Command::new("systemd-socket-activate");
    cmd.arg("-l")
        .arg(&sock)
        .arg(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(b.root())
        .arg("--config")
        .arg(b.config_path())
        .args(["system", "service", "--time", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd
        .spawn()
        .expect("systemd-socket-activate (package systemd)");
    let s = Service {
        child,
        sock: sock.clone(),
        docker_config: b.scratch("docker-config"),
        berth_config: b.scratch("berth-config"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !sock.exists() {
        assert!(
            Instant::now() < deadline,
            "systemd-socket-activate never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let v = s.ok(&["version", "--format", "{{.Server.APIVersion}}"]);
    assert_eq!(v.trim(), "1.47");
    assert_eq!(s.ok(&["ps", "-aq"]).trim(), "");
}

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

#[test]
fn an_attach_waiting_for_a_start_that_never_comes_does_not_keep_the_service_up() {
    use std::io::{Read, Write};
    let b = Berth::new();
    let mut s = Service::start_with(&b, None, b.cmd(&[]), "1");
    let id = s.ok(&["create", "--network", "none", "busybox", "true"]);
    // `docker run`'s first step, without the start that follows it.
    let mut c = std::os::unix::net::UnixStream::connect(&s.sock).expect("connect");
    write!(
        c,
        "POST /v1.47/containers/{}/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\n\
         Host: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n",
        id.trim()
    )
    .expect("send");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(c.read(&mut byte).expect("read"), 1, "{head:?}");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // The client holds its connection; the service still exits once idle.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("try_wait") {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "the service stayed up for the waiting attach"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    drop(c);
}

#[test]
fn the_service_keeps_starting_containers_when_its_binary_is_removed() {
    let b = Berth::new();
    // A copy of the binary, removed while the service runs (what an upgrade does to the
    // file of a long-running service).
    let copy = b.scratch("bin").join("berth");
    std::fs::copy(env!("CARGO_BIN_EXE_berth"), &copy).expect("copy the binary");
    let mut cmd = Command::new(&copy);
    cmd.arg("--root")
        .arg(b.root())
        .arg("--config")
        .arg(b.config_path())
        .stdin(Stdio::null());
    let s = Service::start_with(&b, None, cmd, "0");
    std::fs::remove_file(&copy).expect("remove the binary");
    let out = s.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "echo",
        "alive",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "alive\n");
}

#[test]
fn sigterm_ends_the_service_while_a_client_waits_on_a_running_container() {
    let b = Berth::new();
    let mut s = Service::start(&b);
    let id = s.ok(&["run", "-d", "--network", "none", "busybox", "sleep", "300"]);
    let id = id.trim().to_string();
    let mut waiting = Command::new("docker")
        .env("DOCKER_HOST", format!("unix://{}", s.sock.display()))
        .env("DOCKER_CONFIG", &s.docker_config)
        .args(["wait", &id])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker wait");
    // Give the request a moment to arrive (no timing is asserted: the test passes as well
    // when the wait was not served yet).
    std::thread::sleep(Duration::from_millis(500));
    let pid = s.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("try_wait") {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "the service did not exit on SIGTERM while a wait was served"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    // Our own client, by pid.
    let _ = waiting.kill();
    let _ = waiting.wait();
    // The container is its shim's: it still runs after the service is gone.
    assert_eq!(b.status(&id), "running");
    b.ok(&["rm", "-f", &id]);
}
