//! The Docker Engine API served by `berth system service`, driven by the real docker CLI
//! (Docker's 28.x client, or Debian's `docker.io`; its daemon is never used). Each test has
//! its own state root and socket; the service is a child killed by pid at the end, also on
//! failure. Containers run with `--network none` (no bridges outside a namespace).

#[path = "../common/api_service.rs"]
mod api_service;
mod follow_errors_events;
#[path = "../common/container_harness.rs"]
mod harness;
mod inspect_df;
#[path = "../common/netns.rs"]
mod netns;
#[path = "../common/piped.rs"]
mod piped;
#[path = "../common/registry_harness.rs"]
mod registry_harness;
mod service_lifetime;

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
    let out = piped::output_with_stdin(
        Command::new("docker")
            .env("DOCKER_HOST", format!("unix://{}", s.sock.display()))
            .env("DOCKER_CONFIG", &s.docker_config)
            .args(["exec", "-i", id, "cat"]),
        b"piped\n",
    );
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
