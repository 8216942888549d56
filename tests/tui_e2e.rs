//! End-to-end test of the dashboard in a real terminal (tmux) against real containers:
//! a container started from "another shell" appears, its log streams in colour, `s`
//! stops it while the dashboard stays responsive, and `q` quits with the terminal restored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const NAME: &str = "e2e-web";

fn berth(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run berth")
}

fn must(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A tar of Debian's static busybox with a symlink per applet, /etc/passwd and /etc/group.
fn busybox_tar() -> Vec<u8> {
    let bin = std::fs::read("/bin/busybox")
        .expect("/bin/busybox is missing: install Debian's busybox-static (apt-get install -y busybox-static)");
    let list = Command::new("/bin/busybox")
        .arg("--list")
        .output()
        .expect("busybox --list");
    let applets = String::from_utf8(list.stdout).expect("applet names");
    let mut b = tar::Builder::new(Vec::new());
    let header = |kind: tar::EntryType, mode: u32, size: u64| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(size);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        h
    };
    for dir in ["bin", "etc", "tmp", "proc", "sys", "dev"] {
        let mut h = header(tar::EntryType::Directory, 0o755, 0);
        b.append_data(&mut h, dir, std::io::empty()).expect("dir");
    }
    let mut h = header(tar::EntryType::Regular, 0o755, bin.len() as u64);
    b.append_data(&mut h, "bin/busybox", bin.as_slice())
        .expect("busybox");
    for applet in applets.lines().map(str::trim) {
        if applet.is_empty() || applet == "busybox" {
            continue;
        }
        let mut h = header(tar::EntryType::Symlink, 0o777, 0);
        b.append_link(&mut h, format!("bin/{applet}"), "busybox")
            .expect("applet link");
    }
    for (path, text) in [
        (
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
        ),
        ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
    ] {
        let mut h = header(tar::EntryType::Regular, 0o644, text.len() as u64);
        b.append_data(&mut h, path, text.as_bytes())
            .expect("etc file");
    }
    b.into_inner().expect("finish tar")
}

/// The tmux server, session, container and state root of one run; all removed on drop,
/// also when an assertion fails.
/// Its tmux server listens on a socket inside the state root (`-S`), so it never meets
/// another tmux server and leaves no socket file behind.
struct E2e {
    session: String,
    root: tempfile::TempDir,
}

impl E2e {
    fn root(&self) -> &Path {
        self.root.path()
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(self.root().join("tmux.sock"))
            .arg("-f")
            .arg(self.root().join("tmux.conf"))
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// The pane as text; with `colours`, with its SGR escapes.
    fn screen(&self, colours: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", &self.session];
        if colours {
            args.push("-e");
        }
        String::from_utf8_lossy(&self.tmux(&args).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        must(self.tmux(&args), "tmux send-keys");
    }

    fn pane(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", &self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `ok` holds; fails with the last screen after `within`.
    fn wait_for(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen(false);
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out after {within:?} waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for E2e {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-session", "-t", &self.session]);
        let _ = berth(self.root.path(), &["rm", "-f", NAME]);
    }
}

/// The screen line holding the container's row.
fn row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.contains(NAME) && l.contains("busybox"))
}

#[test]
fn dashboard_sees_a_container_from_another_shell_stops_it_and_quits() {
    let tmux_ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        tmux_ok,
        "tmux is not installed: the dashboard end-to-end test needs it (apt-get install -y tmux)"
    );
    let unique = format!("berth-e2e-{}", std::process::id());
    let root = tempfile::Builder::new()
        .prefix("berth-e2e-")
        .tempdir_in("/tmp")
        .expect("state root under /tmp");
    let t = E2e {
        session: unique,
        root,
    };
    let r: PathBuf = t.root().to_path_buf();
    // Only our settings: no ~/.tmux.conf, a dead pane stays so its exit can be read.
    std::fs::write(
        r.join("tmux.conf"),
        "set -g remain-on-exit on\nset -g status off\n",
    )
    .expect("tmux.conf");
    std::fs::create_dir_all(r.join("xdg")).expect("xdg dir");

    let tar = r.join("busybox.tar");
    std::fs::write(&tar, busybox_tar()).expect("write tar");
    must(
        berth(
            &r,
            &[
                "import",
                tar.to_str().expect("utf-8 path"),
                "busybox:latest",
                "-c",
                r#"CMD ["sh"]"#,
            ],
        ),
        "berth import",
    );

    // The dashboard, in a fixed-size terminal, with the default config.
    let xdg = r.join("xdg");
    // After the dashboard exits, the shell records its status and the terminal modes,
    // then waits for Enter so the test can look at the restored terminal.
    let dashboard = format!(
        "env XDG_CONFIG_HOME={x} XDG_STATE_HOME={x} {bin} --root {root}; \
         echo \"dashboard exited: $?\"; stty -a > {root}/stty-after; read x",
        x = xdg.display(),
        bin = env!("CARGO_BIN_EXE_berth"),
        root = r.display()
    );
    must(
        t.tmux(&[
            "new-session",
            "-d",
            "-s",
            &t.session,
            "-x",
            "120",
            "-y",
            "40",
            &dashboard,
        ]),
        "tmux new-session",
    );
    t.wait_for("the empty dashboard", Duration::from_secs(10), |s| {
        s.contains("no containers")
    });

    // Another shell starts a container that prints a red line every 0.3 s.
    must(
        berth(
            &r,
            &[
                "run",
                "-d",
                "--network",
                "none",
                "--name",
                NAME,
                "busybox",
                "sh",
                "-c",
                r"while true; do printf '\033[31mhello-e2e\033[0m\n'; sleep 0.3; done",
            ],
        ),
        "berth run -d",
    );
    let started = Instant::now();
    let screen = t.wait_for("the container to appear", Duration::from_secs(5), |s| {
        row(s).is_some_and(|l| l.contains(" Up "))
    });
    eprintln!("appeared after {:?}:\n{screen}", started.elapsed());
    // The stats sampler runs from the start: the row gets its CPU and memory figures.
    t.wait_for("the row's CPU and memory", Duration::from_secs(5), |s| {
        row(s).is_some_and(|l| l.contains('%') && l.contains("iB"))
    });

    // Select it (the only container) and open its log.
    t.keys(&["g", "Enter"]);
    let screen = t.wait_for("its log line", Duration::from_secs(5), |s| {
        s.contains("hello-e2e") && s.contains(&format!("berth logs -f --tail 500 {NAME}"))
    });
    eprintln!("log streaming:\n{screen}");
    let coloured = t.screen(true);
    let line = coloured
        .lines()
        .find(|l| l.contains("hello-e2e"))
        .expect("log line with colours");
    let before = &line[..line.find("hello-e2e").expect("text")];
    assert!(
        // tmux reports colour 1 (red) as SGR 31 or 38;5;1.
        before.ends_with("\x1b[31m") || before.ends_with("\x1b[38;5;1m"),
        "the log line should be red as the program printed it: {line:?}"
    );

    // `s`: sh as pid 1 ignores SIGTERM, so the stop takes the full 10 s grace period.
    t.keys(&["s"]);
    let screen = t.wait_for(
        "the stop to show as in progress",
        Duration::from_secs(3),
        |s| {
            s.contains(&format!("stopping '{NAME}'"))
                && s.contains(&format!("berth stop {NAME}"))
                && row(s).is_some_and(|l| l.contains("Stopping…"))
        },
    );
    eprintln!("stopping:\n{screen}");
    // The dashboard answers keys while the engine waits.
    t.keys(&["?"]);
    t.wait_for(
        "the help popup during the stop",
        Duration::from_secs(2),
        |s| s.contains("Keys (remap"),
    );
    t.keys(&["?"]);
    let screen = t.wait_for("the help popup to close", Duration::from_secs(2), |s| {
        !s.contains("Keys (remap") && row(s).is_some_and(|l| l.contains("Stopping…"))
    });
    eprintln!("still responsive during the stop:\n{screen}");
    // `q` while the stop runs only warns (leaving would abandon the stop); `G` (newest log line) disarms it.
    t.keys(&["q"]);
    let screen = t.wait_for("the quit warning", Duration::from_secs(2), |s| {
        s.contains(&format!("still stopping '{NAME}': press q"))
    });
    eprintln!("quit during the stop:\n{screen}");
    t.keys(&["G"]);
    let screen = t.wait_for("the row to show Exited", Duration::from_secs(25), |s| {
        row(s).is_some_and(|l| l.contains("Exited ("))
    });
    eprintln!("stopped:\n{screen}");
    assert!(screen.contains(&format!("stopped '{NAME}'")), "{screen}");

    // `S` starts it again; its log follows again.
    t.keys(&["S"]);
    let screen = t.wait_for("the container to run again", Duration::from_secs(5), |s| {
        row(s).is_some_and(|l| l.contains(" Up "))
            && s.contains(&format!("berth start {NAME}"))
            && s.contains(&format!("Logs: {NAME} (following)"))
    });
    eprintln!("started again:\n{screen}");

    // Another shell kills it, then removes it: the dashboard notices each change.
    must(berth(&r, &["kill", NAME]), "berth kill");
    let killed = Instant::now();
    t.wait_for("the kill from another shell", Duration::from_secs(3), |s| {
        row(s).is_some_and(|l| l.contains("Exited ("))
    });
    eprintln!("kill seen after {:?}", killed.elapsed());
    must(berth(&r, &["rm", NAME]), "berth rm");
    let removed = Instant::now();
    let screen = t.wait_for(
        "the removal from another shell",
        Duration::from_secs(3),
        |s| row(s).is_none() && s.contains("no containers") && s.contains("no container selected"),
    );
    eprintln!("removal seen after {:?}:\n{screen}", removed.elapsed());

    // `q`: the dashboard ends with status 0 and gives the terminal back as it was.
    t.keys(&["q"]);
    let after = t.wait_for("the dashboard to quit", Duration::from_secs(5), |s| {
        s.contains("dashboard exited:")
    });
    eprintln!("after quit:\n{after}");
    assert!(after.contains("dashboard exited: 0"), "{after}");
    assert!(
        !after.contains("Containers ("),
        "the dashboard is gone: {after}"
    );
    assert_eq!(
        t.pane("#{alternate_on}"),
        "0",
        "the alternate screen was left"
    );
    assert_eq!(t.pane("#{cursor_flag}"), "1", "the cursor is visible again");
    let stty = std::fs::read_to_string(r.join("stty-after")).expect("stty -a output");
    let modes: Vec<&str> = stty.split([' ', ';', '\n']).collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(
            modes.contains(&mode),
            "raw mode was left: '{mode}' should be on again, stty -a says:\n{stty}"
        );
    }
    // The pane's process ends.
    t.keys(&["Enter"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while t.pane("#{pane_dead}") != "1" {
        assert!(Instant::now() < deadline, "the pane's shell did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
}
