//! The Docker Engine API served by `berth system service`, driven by the Python SDK
//! (Debian's `python3-docker`, run by Debian's own `/usr/bin/python3`).

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;

use api_service::Service;
use harness::Berth;
use std::process::Command;

/// The SDK calls; each prints one line the test checks.
const SCRIPT: &str = r#"
import docker, sys, time
c = docker.DockerClient(base_url=sys.argv[1], version="auto")
print("ping", c.ping(), c.version()["ApiVersion"])
print("run", c.containers.run("busybox", ["echo", "hi"], network_mode="none", remove=True))
ct = c.containers.run("busybox", ["sh", "-c", "echo x; exec sleep 30"], network_mode="none",
                      detach=True, name="py1", labels={"via": "sdk"})
print("list", [x.name for x in c.containers.list(filters={"label": "via=sdk"})])
print("status", c.containers.get("py1").attrs["State"]["Status"])
for _ in range(200):  # its line is out before it is killed
    if ct.logs():
        break
    time.sleep(0.1)
ct.kill()
print("wait", ct.wait()["StatusCode"])
print("logs", ct.logs())
ct.remove()
print("images", [i.tags for i in c.images.list()])
try:
    c.containers.get("py1")
except docker.errors.NotFound:
    print("gone")
"#;

#[test]
fn the_python_sdk_runs_lists_waits_and_removes() {
    let b = Berth::new();
    let s = Service::start(&b);
    let out = Command::new("/usr/bin/python3")
        .args(["-c", SCRIPT, &format!("unix://{}", s.sock.display())])
        .output()
        .expect("/usr/bin/python3 (scripts/test installs python3-docker)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = [
        "ping True 1.47",
        "run b'hi\\n'",
        "list ['py1']",
        "status running",
        "wait 137",
        "logs b'x\\n'",
        "images [['busybox:latest']]",
        "gone",
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), want);
}
