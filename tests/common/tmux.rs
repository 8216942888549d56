//! A private tmux server for tests that need a real terminal: its socket and config live
//! in the test's directory, so it never meets another tmux server; dropping it kills it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// One tmux server with one session running `command` in a `w` x `h` terminal.
pub struct Tmux {
    dir: PathBuf,
    session: String,
}

impl Tmux {
    /// Starts `command` (a shell line) in a new session; fails the test when tmux is missing.
    pub fn start(dir: &Path, w: u16, h: u16, command: &str) -> Tmux {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "tmux is not installed: this terminal test needs it (apt-get install -y tmux)"
        );
        // Only our settings: no ~/.tmux.conf; a dead pane stays so its output can be read.
        std::fs::write(
            dir.join("tmux.conf"),
            "set -g remain-on-exit on\nset -g status off\n",
        )
        .expect("tmux.conf");
        let t = Tmux {
            dir: dir.to_path_buf(),
            session: format!("berth-t-{}", std::process::id()),
        };
        let (w, h) = (w.to_string(), h.to_string());
        let out = t.tmux(&[
            "new-session",
            "-d",
            "-s",
            &t.session,
            "-x",
            &w,
            "-y",
            &h,
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(self.dir.join("tmux.sock"))
            .arg("-f")
            .arg(self.dir.join("tmux.conf"))
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format of the pane (`#{mouse_sgr_flag}`): what tmux knows of the program in it.
    #[allow(dead_code)]
    pub fn format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", &self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Sends tmux key names (`Enter`, `C-p`, `q`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        let out = self.tmux(&args);
        assert!(out.status.success(), "tmux send-keys {keys:?}: {out:?}");
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", &self.session, "-l", text]);
        assert!(out.status.success(), "tmux send-keys -l: {out:?}");
    }

    /// Polls the screen until `ok` holds; fails with the last screen after `within`.
    pub fn wait_for(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out after {within:?} waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
