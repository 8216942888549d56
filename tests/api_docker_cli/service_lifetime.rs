//! The service's own lifetime against the docker CLI: idle exit while an attach waits, a
//! replaced binary, SIGTERM while a client waits.

use super::*;

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
