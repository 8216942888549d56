//! A harness for root-only container tests: a private state root with a busybox image made
//! from Debian's static busybox, a runner for the real `berth` binary, readers of container
//! records, and a guard that removes every container of the root and checks that nothing
//! (process, mount, cgroup, socket) is left behind — also when the test fails.

#![allow(dead_code)]

#[path = "busybox_tar.rs"]
mod busybox_tar;
#[path = "host_probes.rs"]
mod host_probes;

pub use busybox_tar::busybox_tar;
use host_probes::wait_until_quiet;
pub use host_probes::*;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Where Debian's `busybox-static` installs the static binary.
pub const BUSYBOX: &str = "/bin/busybox";

/// What a `berth` invocation produced.
#[derive(Debug)]
pub struct Out {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    fn from(o: Output) -> Out {
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// The harness's config: containers run without `--network` get loopback only.
pub const OFF_THE_HOST_NETWORK: &str = "network:\n  default: none\n";

/// A private state root with `busybox:latest` imported. Dropping it removes every container
/// of the root and checks that none left a process, mount, cgroup or socket behind.
pub struct Berth {
    dir: tempfile::TempDir,
}

impl Berth {
    /// A new root (under /tmp, so socket paths stay short) with the busybox image.
    pub fn new() -> Berth {
        let b = Berth::empty();
        let tar = b.dir.path().join("busybox.tar");
        std::fs::write(&tar, busybox_tar()).expect("write busybox tar");
        let out = b.run(&[
            "import",
            tar.to_str().expect("utf-8 path"),
            "busybox:latest",
            "-c",
            r#"CMD ["sh"]"#,
        ]);
        assert_eq!(out.code, 0, "import busybox failed: {out:?}");
        b
    }

    /// A new root without any image.
    pub fn empty() -> Berth {
        let dir = tempfile::Builder::new()
            .prefix("berth-t")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let b = Berth { dir };
        b.set_config(OFF_THE_HOST_NETWORK);
        b
    }

    /// The config file every command of this root reads (`--config`). It starts as
    /// [`OFF_THE_HOST_NETWORK`]: a container run without `--network` must not make the
    /// `berth0` bridge in the host's network namespace.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.yaml")
    }

    /// Replaces the config file with `yaml`.
    pub fn set_config(&self, yaml: &str) {
        std::fs::write(self.config_path(), yaml).expect("write the config file");
    }

    /// Docker's defaults (no config: the default network is `bridge`). Only for a test
    /// whose berth commands run in a network namespace of its own (`NetNs`).
    pub fn docker_defaults(&self) {
        self.set_config("");
    }

    /// The state root.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// A scratch directory of this test (beside the state root, removed with it).
    pub fn scratch(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).expect("create scratch dir");
        p
    }

    /// The shell command line that opens the dashboard on this root and config, for a
    /// terminal (tmux) to run: its config and state directories and `HOME` are `dir`, so the
    /// user's own settings never reach the test.
    pub fn dashboard_command(&self, dir: &std::path::Path) -> String {
        self.dashboard_command_via(dir, "")
    }

    /// [`Berth::dashboard_command`] with `via` (such as `nsenter --net=PATH`) running berth.
    pub fn dashboard_command_via(&self, dir: &std::path::Path, via: &str) -> String {
        format!(
            "exec env XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} HOME={d} {via} {bin} --root {root} --config {config}",
            d = dir.display(),
            bin = env!("CARGO_BIN_EXE_berth"),
            root = self.root().display(),
            config = self.config_path().display(),
        )
    }

    /// A `berth --root ROOT --config CONFIG` command (see [`Berth::config_path`]).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_berth"));
        c.arg("--root")
            .arg(self.root())
            .arg("--config")
            .arg(self.config_path())
            .args(args)
            .stdin(Stdio::null());
        c
    }

    /// Runs berth to completion.
    pub fn run(&self, args: &[&str]) -> Out {
        Out::from(self.cmd(args).output().expect("run berth"))
    }

    /// Runs berth and asserts it succeeded; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "berth {args:?} failed: {out:?}");
        out.stdout
    }

    /// Starts berth as a child with piped stdout/stderr.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn berth")
    }

    /// `run -d ARGS...`: returns the new container's id.
    pub fn run_detached(&self, args: &[&str]) -> String {
        let mut all = vec!["run", "-d"];
        all.extend_from_slice(args);
        let id = self.ok(&all).trim().to_string();
        assert_eq!(id.len(), 64, "run -d printed no id: {id:?}");
        id
    }

    /// Ids of every container record in the root.
    pub fn container_ids(&self) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(self.root().join("containers")) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.len() == 64 && n.chars().all(|c| c.is_ascii_hexdigit()))
            .collect();
        ids.sort();
        ids
    }

    /// The directory of container `id`.
    pub fn container_dir(&self, id: &str) -> PathBuf {
        self.root().join("containers").join(id)
    }

    /// The container's state.json (as the shim last wrote it); a container that never
    /// started has none, which means the default state (`created`).
    pub fn state(&self, id: &str) -> serde_json::Value {
        let p = self.container_dir(id).join("state.json");
        match std::fs::read_to_string(&p) {
            Ok(text) => serde_json::from_str(&text).expect("state.json is JSON"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.config_exists(id) => {
                serde_json::to_value(berth::engine::ContainerState::default())
                    .expect("the default state serialises")
            }
            Err(e) => panic!("read {}: {e}", p.display()),
        }
    }

    fn config_exists(&self, id: &str) -> bool {
        self.container_dir(id).join("config.json").exists()
    }

    /// The container's config.json.
    pub fn config(&self, id: &str) -> serde_json::Value {
        let p = self.container_dir(id).join("config.json");
        let text =
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
        serde_json::from_str(&text).expect("config.json is JSON")
    }

    /// `state.status` of a container.
    pub fn status(&self, id: &str) -> String {
        self.state(id)["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The id of the container named `name`.
    pub fn id_of(&self, name: &str) -> String {
        self.container_ids()
            .into_iter()
            .find(|id| self.config(id)["name"] == name)
            .unwrap_or_else(|| panic!("no container named '{name}'"))
    }

    /// Polls `check` until it returns true or `timeout` passes; panics with `what` then.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
        wait_until(what, timeout, &mut check)
    }

    /// Waits until the container's status is `status`.
    pub fn wait_status(&self, id: &str, status: &str, timeout: Duration) {
        wait_until(
            &format!("container status '{status}'"),
            timeout,
            &mut || self.config_exists(id) && self.status(id) == status,
        );
    }

    /// Every trace a container could leave on the host; empty when it left none.
    pub fn leftovers(&self, id: &str) -> Vec<String> {
        let mut found = Vec::new();
        for cg in cgroup_dirs(id) {
            if cg.exists() {
                found.push(format!("cgroup {}", cg.display()));
            }
        }
        found.extend(self.processes_of(id));
        found
    }

    /// Host processes that belong to container `id`: in its cgroup, or its shim.
    pub fn processes_of(&self, id: &str) -> Vec<String> {
        let mut found = Vec::new();
        let needle = format!("berth/{id}");
        for pid in all_pids() {
            let cgroup = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap_or_default();
            if cgroup.lines().any(|l| l.ends_with(&needle)) {
                found.push(format!("process {pid} in cgroup {needle}"));
            }
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            if args.len() > 3
                && args[1] == b"__shim"
                && args[2] == self.root().as_os_str().as_encoded_bytes()
                && args[3] == id.as_bytes()
            {
                found.push(format!("shim process {pid}"));
            }
        }
        found
    }

    /// Traces of the whole root: mounts mentioning it in any mount namespace, processes
    /// whose root or cwd lies inside it, and sockets in its runtime directory.
    pub fn root_leftovers(&self) -> Vec<String> {
        let mut found = Vec::new();
        let root = self.root();
        let root_s = root.display().to_string();
        let mut namespaces_seen = std::collections::HashSet::new();
        for pid in all_pids() {
            if let Ok(ns) = std::fs::read_link(format!("/proc/{pid}/ns/mnt"))
                && namespaces_seen.insert(ns)
            {
                let mi =
                    std::fs::read_to_string(format!("/proc/{pid}/mountinfo")).unwrap_or_default();
                for l in mi.lines().filter(|l| l.contains(&root_s)) {
                    found.push(format!("mount (seen by pid {pid}): {l}"));
                }
            }
            for link in ["root", "cwd"] {
                if let Ok(t) = std::fs::read_link(format!("/proc/{pid}/{link}"))
                    && t.starts_with(&root)
                {
                    found.push(format!("process {pid} has its {link} in {}", t.display()));
                }
            }
        }
        let prefix = socket_prefix(&root);
        if let Ok(rd) = std::fs::read_dir("/run/berth") {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && (name.ends_with(".sock") || name.ends_with(".cpu"))
                {
                    found.push(format!("socket or CPU samples {}", e.path().display()));
                }
            }
        }
        found
    }

    /// Asserts container `id` left nothing behind.
    pub fn assert_no_leftovers(&self, id: &str) {
        let mut left = Vec::new();
        wait_until_quiet(&mut || {
            left = self.leftovers(id);
            left.is_empty()
        });
        assert!(left.is_empty(), "container {id} left: {left:#?}");
    }

    /// Removes the test's directory, again while a shim still moves the emptied directory
    /// of a removed container into `spare/` under it (that runs after `run --rm` returned):
    /// a removal that raced with it leaves the directory behind.
    fn remove_dir(&self) {
        let dir = self.dir.path();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while std::fs::remove_dir_all(dir).is_err()
            && dir.exists()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn cleanup(&self) -> Vec<String> {
        let ids = self.container_ids();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(ids.iter().map(String::as_str));
            let _ = self.cmd(&args).output();
        }
        let mut left = Vec::new();
        wait_until_quiet(&mut || {
            left = self.container_ids();
            for id in &ids {
                left.extend(self.leftovers(id));
            }
            left.extend(self.root_leftovers());
            left.is_empty()
        });
        // Last resort so one failing test does not leak into the next: kill what is ours.
        for id in &ids {
            for cg in cgroup_dirs(id) {
                for pid in std::fs::read_to_string(cg.join("cgroup.procs"))
                    .unwrap_or_default()
                    .lines()
                    .filter_map(|l| l.trim().parse::<i32>().ok())
                {
                    // SAFETY: kill(2) on a pid in this test's own container cgroup.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
        }
        left
    }
}

impl Drop for Berth {
    fn drop(&mut self) {
        let left = self.cleanup();
        self.remove_dir();
        if left.is_empty() {
            return;
        }
        if std::thread::panicking() {
            eprintln!("also left behind after the failure: {left:#?}");
        } else {
            panic!("berth left traces after 'rm -f' of every container: {left:#?}");
        }
    }
}
