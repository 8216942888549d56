//! The Docker Engine API served by `berth system service`, driven by the Python SDK
//! (Debian's `python3-docker`, run by Debian's own `/usr/bin/python3`).

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use api_service::Service;
use harness::Berth;
use netns::NetNs;
use registry_harness::Registry;
use std::process::Command;

/// Runs a Python script with the SDK against `s` (extra arguments after the socket's
/// URI); its stdout lines, asserting it succeeded.
fn python(s: &Service, script: &str, args: &[&str]) -> Vec<String> {
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script, &format!("unix://{}", s.sock.display())])
        .args(args)
        .output()
        .expect("/usr/bin/python3 (scripts/test installs python3-docker)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines().map(str::to_string).collect()
}

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
ct = c.containers.run("busybox", ["sleep", "60"], network_mode="none", detach=True)
r = ct.exec_run(["sh", "-c", "echo in-exec; exit 3"])
print("exec", r.exit_code, r.output)
st = ct.stats(stream=False)
print("stats", st["id"] == ct.id, st["memory_stats"]["usage"] > 0, "cpu_usage" in st["cpu_stats"])
ct.remove(force=True)
v = c.volumes.create("pyvol", labels={"via": "sdk"})
print("volume", v.name, [x.name for x in c.volumes.list(filters={"label": "via=sdk"})])
ct = c.containers.run("busybox", ["sh", "-c", "echo kept > /v/f; cat /v/f"], network_mode="none",
                      volumes={"pyvol": {"bind": "/v", "mode": "rw"}}, remove=True)
print("mounted", ct)
v.remove()
print("volumes", [x.name for x in c.volumes.list()])
img = c.images.pull(sys.argv[2], tag="v1")
print("pulled", sys.argv[2] + ":v1" in img.tags, img.id == c.images.get("busybox").id)
"#;

#[test]
fn the_python_sdk_runs_lists_waits_and_removes() {
    let b = Berth::new();
    let s = Service::start(&b);
    let reg = Registry::plain();
    let repo = format!("{}/py/busybox", reg.host);
    b.ok(&["tag", "busybox:latest", &format!("{repo}:v1")]);
    b.ok(&["push", &format!("{repo}:v1")]);
    b.ok(&["rmi", &format!("{repo}:v1")]);
    let want = [
        "ping True 1.47",
        "run b'hi\\n'",
        "list ['py1']",
        "status running",
        "wait 137",
        "logs b'x\\n'",
        "images [['busybox:latest']]",
        "gone",
        "exec 3 b'in-exec\\n'",
        "stats True True True",
        "volume pyvol ['pyvol']",
        "mounted b'kept\\n'",
        "volumes []",
        "pulled True True",
    ];
    assert_eq!(python(&s, SCRIPT, &[&repo]), want);
}

/// Ports, networks and aliases through the SDK (in a network namespace of the test's own).
const NETWORK_SCRIPT: &str = r#"
import docker, sys
c = docker.DockerClient(base_url=sys.argv[1], version="auto")
net = c.networks.create("pynet", labels={"via": "sdk"})
print("network", [n.name for n in c.networks.list(filters={"label": "via=sdk"})])
web = c.containers.run("busybox", ["httpd", "-f", "-p", "80", "-h", "/etc"], detach=True,
                       name="pyweb", ports={"80/tcp": ("127.0.0.1", 18082)})
web.reload()
print("ports", web.ports["80/tcp"])
net.connect(web, aliases=["site"])
net.reload()
print("members", [x.name for x in net.containers])
out = c.containers.run("busybox", ["nslookup", "site"], network="pynet", remove=True)
ip = c.containers.get("pyweb").attrs["NetworkSettings"]["Networks"]["pynet"]["IPAddress"]
print("alias", ip.encode() in out)
"#;

#[test]
fn the_python_sdk_publishes_ports_and_connects_networks() {
    let b = Berth::new();
    b.docker_defaults();
    let ns = NetNs::new();
    let s = Service::start_in(&b, Some(&ns.path()));
    let want = [
        "network ['pynet']",
        "ports [{'HostIp': '127.0.0.1', 'HostPort': '18082'}]",
        "members ['pyweb']",
        "alias True",
    ];
    assert_eq!(python(&s, NETWORK_SCRIPT, &[]), want);
    // The published port answers on the namespace's loopback.
    b.wait_until(
        "the published port answers",
        std::time::Duration::from_secs(20),
        || {
            let page = ns.host(&["busybox", "wget", "-qO-", "http://127.0.0.1:18082/hostname"]);
            page.code == 0 && !page.stdout.is_empty()
        },
    );
    s.ok(&["rm", "-f", "pyweb"]);
    s.ok(&["network", "rm", "pynet"]);
}
