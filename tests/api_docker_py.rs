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

/// Serves `files` (path, body) over HTTP/1.0 on a loopback port of the host's namespace,
/// from a thread of the test, until the test process ends; answers 404 for other paths.
/// Returns the port.
fn serve(files: Vec<(&'static str, Vec<u8>)>) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut reader = BufReader::new(conn.try_clone().expect("clone"));
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default();
            let _ = match files.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => conn
                    .write_all(
                        format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", body.len())
                            .as_bytes(),
                    )
                    .and_then(|()| conn.write_all(body)),
                None => conn.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
            };
        }
    });
    port
}

/// Builds from URLs through the SDK (it sends `remote=`).
const REMOTE_SCRIPT: &str = r#"
import docker, sys
c = docker.DockerClient(base_url=sys.argv[1], version="auto")
base = sys.argv[2]
c.images.build(path=base + "/ctx.tar.gz", tag="from-archive", network_mode="none")
print("archive", c.containers.run("from-archive", remove=True, network_mode="none"))
c.images.build(path=base + "/Dockerfile", tag="from-dockerfile", network_mode="none")
print("dockerfile", c.containers.run("from-dockerfile", remove=True, network_mode="none"))
for bad, says in [(base + "/missing.tar", "404"), ("https://example.invalid/r.git", "git build contexts")]:
    try:
        c.images.build(path=bad, tag="bad")
        print("built", bad)
    except (docker.errors.BuildError, docker.errors.APIError) as e:
        print("refused", says in str(e))
"#;

#[test]
fn the_python_sdk_and_berth_build_from_a_url() {
    let b = Berth::new();
    let s = Service::start(&b);
    let ctx = b.scratch("ctx");
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox\nCOPY greeting /greeting\nCMD [\"cat\", \"/greeting\"]\n",
    )
    .expect("Dockerfile");
    std::fs::write(ctx.join("greeting"), "from an archive\n").expect("greeting");
    let archive = Command::new("tar")
        .args(["-C", ctx.to_str().expect("utf-8"), "-czf", "-", "."])
        .output()
        .expect("tar");
    assert!(archive.status.success(), "{archive:?}");
    let dockerfile =
        b"FROM busybox\nRUN echo from a dockerfile > /said\nCMD [\"cat\", \"/said\"]\n";
    let port = serve(vec![
        ("/ctx.tar.gz", archive.stdout),
        ("/Dockerfile", dockerfile.to_vec()),
    ]);
    let base = format!("http://127.0.0.1:{port}");
    let want = [
        "archive b'from an archive\\n'",
        "dockerfile b'from a dockerfile\\n'",
        "refused True",
        "refused True",
    ];
    assert_eq!(python(&s, REMOTE_SCRIPT, &[&base]), want);

    // berth's own CLI takes the same URLs.
    b.ok(&[
        "build",
        "--network",
        "none",
        "-t",
        "cli-archive",
        &format!("{base}/ctx.tar.gz"),
    ]);
    let ran = b.ok(&["run", "--rm", "--network", "none", "cli-archive"]);
    assert_eq!(ran, "from an archive\n");
    let missing = b.run(&["build", &format!("{base}/missing.tar")]);
    assert_ne!(missing.code, 0, "{missing:?}");
    assert!(
        missing.stderr.contains("cannot download the build context")
            && missing.stderr.contains("404"),
        "{missing:?}"
    );
    // Nothing of the downloads or unpacked contexts is left in the scratch space.
    let left: Vec<String> = std::fs::read_dir(b.root().join("tmp"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("build-remote") || n.contains("build-context"))
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}
