//! The Docker Engine API over TCP: `berth system service --tlsverify --tlscacert
//! --tlscert --tlskey tcp://...` driven by the real docker CLI with its client certificate
//! (run, exec -it, attach, logs, build), and refused without TLS, with bad files, or to
//! clients without a certificate the CA signed. The service and every client run inside a
//! network namespace of the test's own (loopback only); certificates are made by rcgen in
//! the test's scratch directory.

#[path = "../common/container_harness.rs"]
mod harness;
#[path = "../common/netns.rs"]
mod netns;
#[path = "../common/piped.rs"]
mod piped;
#[path = "../common/tmux.rs"]
mod tmux;

mod refused;

use harness::{Berth, Out};
use netns::NetNs;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tmux::Tmux;

const SECS: Duration = Duration::from_secs(20);

/// A CA: its certificate (PEM) and what signs with it.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let pem = params.self_signed(&key).expect("ca cert").pem();
    Ca {
        pem,
        issuer: Issuer::new(params, key),
    }
}

/// A certificate signed by `ca` for `sans`, with the extended key usage `usage`; written
/// as `cert.pem` and `key.pem` in `dir`, beside `ca.pem` (the CA to trust, `trust`).
fn leaf(dir: &Path, ca: &Ca, trust: &str, sans: &[&str], usage: ExtendedKeyUsagePurpose) {
    std::fs::create_dir_all(dir).expect("cert dir");
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "berth test");
    params.extended_key_usages = vec![usage];
    let cert = params.signed_by(&key, &ca.issuer).expect("sign");
    std::fs::write(dir.join("ca.pem"), trust).expect("ca.pem");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("cert.pem");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("key.pem");
}

/// The test's certificates, each set in a directory laid out as `DOCKER_CERT_PATH` wants:
/// `server/` (the service's, trusting the CA for clients), `client/` (signed by the CA),
/// `stranger/` (a client signed by another CA of the same name) and `nocert/` (only the CA to trust).
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(dir: PathBuf) -> Pki {
        let ours = ca("berth test CA");
        // Another CA of the same name: the docker CLI (Go) presents its certificate only
        // to a server whose CA names match the certificate's issuer.
        let other = ca("berth test CA");
        let server = ExtendedKeyUsagePurpose::ServerAuth;
        let client = ExtendedKeyUsagePurpose::ClientAuth;
        leaf(
            &dir.join("server"),
            &ours,
            &ours.pem,
            &["localhost", "127.0.0.1"],
            server,
        );
        leaf(&dir.join("client"), &ours, &ours.pem, &[], client.clone());
        leaf(&dir.join("stranger"), &other, &ours.pem, &[], client);
        std::fs::create_dir_all(dir.join("nocert")).expect("nocert");
        std::fs::write(dir.join("nocert/ca.pem"), &ours.pem).expect("nocert/ca.pem");
        Pki { dir }
    }

    fn set(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// `berth system service` on a TCP port of `ns`, with the server's certificates.
struct TlsService {
    child: Child,
}

impl Drop for TlsService {
    fn drop(&mut self) {
        // Our own child (nsenter execs berth), by pid.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `berth ARGS` of `b` run inside `ns` (through nsenter, which execs it).
fn berth_in(ns: &NetNs, b: &Berth, args: &[&str]) -> Command {
    let c = b.cmd(args);
    let mut cmd = Command::new("nsenter");
    cmd.arg(format!("--net={}", ns.path().display()))
        .arg(c.get_program())
        .args(c.get_args())
        .env("BERTH_CONFIG_DIR", b.scratch("berth-config"))
        .stdin(Stdio::null());
    cmd
}

fn output(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("run");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The TLS flags naming the three files of `dir`, as dockerd's and the docker CLI's.
fn tls_flags(dir: &Path) -> Vec<String> {
    vec![
        "--tlsverify".to_string(),
        format!("--tlscacert={}", dir.join("ca.pem").display()),
        format!("--tlscert={}", dir.join("cert.pem").display()),
        format!("--tlskey={}", dir.join("key.pem").display()),
    ]
}

/// The port the tests serve on: Docker's default TLS port, which the service picks when
/// the URI names none (the namespace is the test's own, so it is free).
const URL: &str = "tcp://127.0.0.1:2376";

impl TlsService {
    /// Starts the service in `ns` on `tcp://127.0.0.1` (default port) with `pki`'s server
    /// files, and waits until the client of `pki` gets its version.
    fn start(ns: &NetNs, b: &Berth, pki: &Pki) -> TlsService {
        let mut args = vec!["system".to_string(), "service".into(), "--time=0".into()];
        args.extend(tls_flags(&pki.set("server")));
        args.push("tcp://127.0.0.1".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let child = berth_in(ns, b, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn berth system service");
        let s = TlsService { child };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = docker(
                ns,
                b,
                &pki.set("client"),
                &["version", "--format", "{{.Server.APIVersion}}"],
            );
            if v.code == 0 {
                assert_eq!(v.stdout.trim(), "1.47", "{v:?}");
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the TLS service never answered: {v:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }
}

/// The docker CLI in `ns` with the TLS flags of the certificate set `certs` (its
/// `ca.pem`, and `cert.pem`/`key.pem` when the set has them).
fn docker_cmd(ns: &NetNs, b: &Berth, certs: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("nsenter");
    cmd.arg(format!("--net={}", ns.path().display()))
        .arg("docker")
        .env("DOCKER_CONFIG", b.scratch("docker-config"))
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH")
        .arg("--tlsverify")
        .arg("--tlscacert")
        .arg(certs.join("ca.pem"));
    if certs.join("cert.pem").exists() {
        cmd.arg("--tlscert")
            .arg(certs.join("cert.pem"))
            .arg("--tlskey")
            .arg(certs.join("key.pem"));
    }
    cmd.args(["-H", URL]).args(args).stdin(Stdio::null());
    cmd
}

fn docker(ns: &NetNs, b: &Berth, certs: &Path, args: &[&str]) -> Out {
    output(&mut docker_cmd(ns, b, certs, args))
}

fn docker_ok(ns: &NetNs, b: &Berth, certs: &Path, args: &[&str]) -> String {
    let out = docker(ns, b, certs, args);
    assert_eq!(out.code, 0, "docker {args:?} failed: {out:?}");
    out.stdout
}

/// A shell line for tmux: the docker CLI over TLS in `ns` (the environment's way:
/// `DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`), then its exit status.
fn docker_line(ns: &NetNs, b: &Berth, certs: &Path, args: &str, what: &str) -> String {
    format!(
        "env DOCKER_CONFIG={cfg} DOCKER_HOST={URL} DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH={certs} \
         nsenter --net={ns} docker {args}; echo \"{what} exited: $?\"; read x",
        cfg = b.scratch("docker-config").display(),
        certs = certs.display(),
        ns = ns.path().display(),
    )
}

#[test]
fn the_docker_cli_over_tls_runs_execs_attaches_and_reads_logs() {
    let b = Berth::new();
    let ns = NetNs::new();
    let pki = Pki::new(b.scratch("pki"));
    let _s = TlsService::start(&ns, &b, &pki);
    let client = pki.set("client");

    // Without --network: the configured default network (the harness's `none`).
    let out = docker(&ns, &b, &client, &["run", "--rm", "busybox", "echo", "hi"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "hi\n"), "{out:?}");
    let out = docker(
        &ns,
        &b,
        &client,
        &[
            "run",
            "--rm",
            "--network",
            "none",
            "busybox",
            "sh",
            "-c",
            "echo oops >&2; exit 3",
        ],
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("oops"), "{out:?}");

    let id = docker_ok(
        &ns,
        &b,
        &client,
        &[
            "run",
            "-d",
            "-it",
            "--name",
            "tls-web",
            "--network",
            "none",
            "busybox",
            "sh",
            "-c",
            "echo started; exec sh",
        ],
    );
    let id = id.trim();
    assert_eq!(b.id_of("tls-web"), id, "berth's own records see it");
    let ps = docker_ok(
        &ns,
        &b,
        &client,
        &["ps", "--format", "{{.Names}} {{.Status}}"],
    );
    assert!(ps.starts_with("tls-web Up"), "{ps}");
    b.wait_until("the first line in the log", SECS, || {
        docker(&ns, &b, &client, &["logs", "tls-web"])
            .stdout
            .contains("started")
    });
    let out = docker(
        &ns,
        &b,
        &client,
        &["exec", "tls-web", "sh", "-c", "echo in-exec; exit 4"],
    );
    assert_eq!((out.code, out.stdout.as_str()), (4, "in-exec\n"), "{out:?}");

    // `exec -i` with piped stdin: the client's end of input (a TCP half-close under TLS)
    // ends cat's stdin, and its output still comes back.
    let out = piped::output_with_stdin(
        &mut docker_cmd(&ns, &b, &client, &["exec", "-i", "tls-web", "cat"]),
        b"piped\n",
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped\n");

    // `exec -it` through a real terminal: what is typed runs in the container, its
    // terminal is a pty, and the exit code comes back.
    let line = docker_line(&ns, &b, &client, "exec -it tls-web sh", "exec");
    let t = Tmux::start(&b.scratch("tmux-exec"), 100, 30, &line);
    t.wait_for("the exec shell's prompt", SECS, |s| s.contains("/ #"));
    t.type_text("echo ex-$((6*7)); tty");
    t.keys(&["Enter"]);
    t.wait_for("the exec output", SECS, |s| {
        s.contains("\nex-42") && s.contains("/dev/pts/")
    });
    t.type_text("exit 5");
    t.keys(&["Enter"]);
    t.wait_for("the exit code of exec", SECS, |s| {
        s.contains("exec exited: 5")
    });
    drop(t);

    // `attach` to the container's own shell, and ctrl-p ctrl-q to leave it running (the
    // docker CLI then says "read escape sequence" and exits 1, as against dockerd).
    let line = docker_line(&ns, &b, &client, "attach tls-web", "attach");
    let t = Tmux::start(&b.scratch("tmux-attach"), 100, 30, &line);
    t.keys(&["Enter"]);
    t.type_text("echo att-$((3*3))");
    t.keys(&["Enter"]);
    t.wait_for("the attached shell's output", SECS, |s| {
        s.contains("\natt-9")
    });
    t.keys(&["C-p", "C-q"]);
    t.wait_for("the detach", SECS, |s| {
        s.contains("read escape sequence") && s.contains("attach exited: 1")
    });
    drop(t);
    let status = docker_ok(
        &ns,
        &b,
        &client,
        &["inspect", "--format", "{{.State.Status}}", id],
    );
    assert_eq!(status.trim(), "running", "still running after the detach");
    let logs = docker_ok(&ns, &b, &client, &["logs", "tls-web"]);
    assert!(
        logs.contains("att-9"),
        "the attached session is in the log: {logs}"
    );
    docker_ok(&ns, &b, &client, &["rm", "-f", id]);
    assert_eq!(docker_ok(&ns, &b, &client, &["ps", "-aq"]).trim(), "");

    // A build: the context uploaded and the legacy builder's stream read over TLS.
    let ctx = b.scratch("ctx");
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox\nRUN echo built-over-tls > /made\nCMD [\"cat\", \"/made\"]\n",
    )
    .expect("Dockerfile");
    let dir = ctx.to_str().expect("utf-8");
    let out = output(
        docker_cmd(
            &ns,
            &b,
            &client,
            &["build", "--network", "none", "-t", "tlsbuilt", dir],
        )
        .env("DOCKER_BUILDKIT", "0"),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("Successfully tagged tlsbuilt:latest"),
        "{out:?}"
    );
    let ran = docker_ok(&ns, &b, &client, &["run", "--rm", "tlsbuilt"]);
    assert_eq!(ran, "built-over-tls\n");
}
