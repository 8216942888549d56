//! End-to-end: a pull from the dashboard in a real terminal (tmux) from a real registry on
//! loopback. The gauges move while the layer downloads, the dashboard keeps answering keys
//! meanwhile, the command log shows `berth pull REF` and the image appears in the list.

#[path = "common/registry_harness.rs"]
mod registry_harness;

use registry_harness::{Registry, big_layer};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The tmux server (its socket inside `dir`) and session of one run, killed on drop.
struct Tmux {
    session: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(self.dir.path().join("tmux.sock"))
            .arg("-f")
            .arg(self.dir.path().join("tmux.conf"))
            .args(args)
            .output()
            .expect("run tmux (apt-get install -y tmux)")
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "tmux send-keys");
    }
    fn wait_for(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen was:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

fn percent_of(screen: &str, id: &str) -> Option<u32> {
    let line = screen.lines().find(|l| l.contains(id))?;
    let i = line.find('%')?;
    let digits: String = line[..i]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[test]
fn a_pull_from_the_dashboard_shows_moving_gauges_and_keeps_answering_keys() {
    let reg = Registry::plain();
    // busybox plus 80 MB of random bytes.
    let (layer, tar) = big_layer(80 * 1024 * 1024, 0x2545_f491_4f6c_dd1d);
    reg.push_raw_image("e2e/big", "v1", &layer, &sha(&tar));
    let reference = format!("{}/e2e/big:v1", reg.host);
    let id = sha(&layer).trim_start_matches("sha256:")[..12].to_string();

    let dir = tempfile::Builder::new()
        .prefix("berth-pull-e2e-")
        .tempdir_in("/tmp")
        .expect("dir");
    let t = Tmux {
        session: format!("berth-pull-e2e-{}", std::process::id()),
        dir,
    };
    let d: &Path = t.dir.path();
    std::fs::write(
        d.join("tmux.conf"),
        "set -g remain-on-exit on\nset -g status off\n",
    )
    .expect("tmux.conf");
    let dashboard = format!(
        "env XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} HOME={d} {bin} --root {d}/state",
        d = d.display(),
        bin = env!("CARGO_BIN_EXE_berth"),
    );
    let out = t.run(&[
        "new-session",
        "-d",
        "-s",
        &t.session,
        "-x",
        "140",
        "-y",
        "40",
        &dashboard,
    ]);
    assert!(out.status.success(), "tmux new-session: {out:?}");
    t.wait_for("the dashboard", Duration::from_secs(10), |s| {
        s.contains("no containers")
    });
    t.keys(&["i"]);
    t.wait_for("the Images pane", Duration::from_secs(5), |s| {
        s.contains("no images")
    });
    t.keys(&["p"]);
    t.wait_for("the pull prompt", Duration::from_secs(5), |s| {
        s.contains("Image to pull")
    });
    t.keys(&["-l", &reference]);
    t.keys(&["Enter"]);

    // The layer's row shows up and its gauge moves.
    let first = t.wait_for("the layer's gauge", Duration::from_secs(20), |s| {
        s.contains(&id) && s.contains("downloading")
    });
    let p1 = percent_of(&first, &id).expect("a percentage");
    // Meanwhile the dashboard answers: the help opens and closes during the download.
    t.keys(&["?"]);
    let help = t.wait_for("the help popup", Duration::from_secs(5), |s| {
        s.contains("pull_image")
    });
    assert!(
        help.contains(&id),
        "the gauges stay under the popup:\n{help}"
    );
    t.keys(&["Escape"]);
    let later = t.wait_for("the gauge to move", Duration::from_secs(60), |s| {
        percent_of(s, &id).is_some_and(|p| p > p1) || s.contains("pulled '")
    });
    eprintln!("gauge at {p1}%, then:\n{later}");

    let done = t.wait_for("the pull to finish", Duration::from_secs(120), |s| {
        s.contains(&format!("pulled '{reference}'"))
    });
    assert!(done.contains(&format!("berth pull {reference}")), "{done}");
    assert!(done.contains("e2e/big"), "the image is listed:\n{done}");
    assert!(
        !done.contains("downloading"),
        "the gauges are gone:\n{done}"
    );
    t.keys(&["q"]);
}
