//! End-to-end: the Networks pane in a real terminal (tmux) over real containers, all in a
//! network namespace of the test's own. Opened from a container on the default bridge it
//! explains why names do not resolve there; on a user network it shows both servers of a
//! round-robin alias and the client's queries arriving live; connect, disconnect, create
//! and remove from the pane change what `berth network inspect` / `ls` print.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of the test's own (socket in the test's scratch directory); its session
/// is killed on drop, also when an assertion fails.
struct Tmux {
    sock: PathBuf,
    conf: PathBuf,
    session: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.sock)
            .arg("-f")
            .arg(&self.conf)
            .args(args)
            .output()
            .expect("run tmux (apt-get install -y tmux)")
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "tmux send-keys {keys:?}");
    }

    fn text(&self, text: &str) {
        self.keys(&["-l", text]);
    }

    /// Polls the screen until `ok` holds; fails with the last screen after `within`.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let within = Duration::from_secs(15);
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {within:?} waiting for {what}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn row<'a>(screen: &'a str, has: &[&str]) -> Option<&'a str> {
    screen.lines().find(|l| has.iter().all(|h| l.contains(h)))
}

#[test]
fn networks_pane_shows_live_queries_and_changes_networks() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "sn"]);
    for name in ["es1", "es2"] {
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "sn",
                "--network-alias",
                "search",
                "busybox",
                "sleep",
                "300",
            ],
        );
    }
    let ask = "while true; do nslookup search >/dev/null; sleep 1; done";
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "client",
            "--network",
            "sn",
            "busybox",
            "sh",
            "-c",
            ask,
        ],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "loner",
            "--network",
            "bridge",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let ip = |name: &str| {
        let f = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}";
        ns.ok(&b, &["inspect", name, "--format", f])
            .trim()
            .to_string()
    };
    let (ip1, ip2) = (ip("es1"), ip("es2"));

    let dir = b.scratch("tmux");
    std::fs::write(dir.join("tmux.conf"), "set -g status off\n").expect("tmux.conf");
    let t = Tmux {
        sock: dir.join("sock"),
        conf: dir.join("tmux.conf"),
        session: format!("berth-net-{}", std::process::id()),
    };
    let c = b.cmd(&[]);
    let argv: Vec<String> = std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let dashboard = format!(
        "exec env XDG_STATE_HOME={} nsenter --net={} {}",
        dir.display(),
        ns.path().display(),
        argv.join(" ")
    );
    let started = t.run(&[
        "new-session",
        "-d",
        "-s",
        &t.session,
        "-x",
        "130",
        "-y",
        "45",
        &dashboard,
    ]);
    assert!(started.status.success(), "tmux new-session: {started:?}");
    t.wait_for("the container list", |s| {
        row(s, &["loner", " Up "]).is_some()
    });

    // From loner (the newest, first in the list): its network, the default bridge.
    t.keys(&["g", "n"]);
    let s = t.wait_for("the Networks pane for loner", |s| {
        s.contains("● = networks of 'loner'")
            && s.contains("names do not resolve on the default bridge network")
    });
    assert!(
        row(&s, &["▶ ●", "bridge", "172.17.0.0/16"]).is_some(),
        "{s}"
    );

    // The user network: both servers behind the alias, the client's answers rotating.
    t.keys(&["G"]);
    let (a, b_first) = (format!("{ip1}, {ip2}"), format!("{ip2}, {ip1}"));
    let s = t.wait_for("sn's endpoints and DNS queries", |s| {
        s.contains("DNS queries on sn") && s.contains(&a) && s.contains(&b_first)
    });
    for ip in [&ip1, &ip2] {
        let r = row(&s, &[&format!("{ip}/16"), "search", "eth0"]);
        assert!(
            r.is_some_and(|r| r.contains("B/s")),
            "{ip} with live rx/tx:\n{s}"
        );
    }
    assert!(row(&s, &["client", "search", "A"]).is_some(), "{s}");

    // Connect loner to sn, then disconnect it, from the pane.
    t.keys(&["c"]);
    t.wait_for("the connect popup", |s| {
        s.contains("Connect a container to 'sn'") && s.contains("[ loner ]")
    });
    t.keys(&["y"]);
    t.wait_for("loner on sn", |s| {
        s.contains("berth network connect sn loner") && row(s, &["loner", "eth1"]).is_some()
    });
    let inspect = ns.ok(&b, &["network", "inspect", "sn"]);
    assert!(inspect.contains("\"Name\": \"loner\""), "{inspect}");
    t.keys(&["x"]);
    t.wait_for("the disconnect popup", |s| s.contains("[ loner ]"));
    t.keys(&["y"]);
    t.wait_for("loner off sn", |s| {
        s.contains("berth network disconnect sn loner") && row(s, &["loner", "eth1"]).is_none()
    });
    assert!(!ns.ok(&b, &["network", "inspect", "sn"]).contains("loner"));

    // Create a network with a subnet, then remove it.
    t.keys(&["a"]);
    t.wait_for("the create prompt", |s| s.contains("Create network"));
    t.text("front 10.99.0.0/16");
    t.keys(&["Enter"]);
    t.wait_for("the new network", |s| {
        row(s, &["front", "bridge", "10.99.0.0/16"]).is_some()
    });
    assert!(ns.ok(&b, &["network", "ls"]).contains("front"));
    t.keys(&["G", "d"]);
    t.wait_for("the remove confirmation", |s| {
        s.contains("Remove network 'front'?")
    });
    t.keys(&["y"]);
    t.wait_for("front gone", |s| {
        s.contains("berth network rm front")
            && row(s, &["front", "bridge", "10.99.0.0/16"]).is_none()
    });
    assert!(!ns.ok(&b, &["network", "ls"]).contains("front"));
    t.keys(&["q"]);

    drop(t);
    ns.ok(&b, &["rm", "-f", "es1", "es2", "client", "loner"]);
    ns.ok(&b, &["network", "rm", "sn"]);
}
