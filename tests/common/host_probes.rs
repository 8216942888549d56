//! What the container tests look at on the host: cgroup directories, processes, socket
//! names; and waiting with deadlines (part of the container harness).

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

/// What the names of a non-default root's sockets in /run/berth start with (see
/// `Paths::new`).
pub fn socket_prefix(root: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
    format!("{}-", &hex::encode(digest)[..12])
}

/// The cgroup directories a container may have: `/sys/fs/cgroup/*/berth/<id>` (v1) and
/// `/sys/fs/cgroup/berth/<id>` (v2).
pub fn cgroup_dirs(id: &str) -> Vec<PathBuf> {
    let base = Path::new("/sys/fs/cgroup");
    let mut out = vec![base.join("berth").join(id)];
    if let Ok(rd) = std::fs::read_dir(base) {
        for e in rd.flatten() {
            out.push(e.path().join("berth").join(id));
        }
    }
    out
}

/// The directory of `controller` for container `id` (v1 layout).
pub fn cgroup_v1(controller: &str, id: &str) -> PathBuf {
    Path::new("/sys/fs/cgroup")
        .join(controller)
        .join("berth")
        .join(id)
}

/// Whether container `id`'s cgroup is frozen (v2 layout; false on v1).
pub fn cgroup_v2_frozen(id: &str) -> bool {
    std::fs::read_to_string(format!("/sys/fs/cgroup/berth/{id}/cgroup.events"))
        .is_ok_and(|s| s.lines().any(|l| l.trim() == "frozen 1"))
}

/// Every pid on the host.
pub fn all_pids() -> Vec<i32> {
    std::fs::read_dir("/proc")
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether process `pid` exists (and is not a zombie).
pub fn alive(pid: i32) -> bool {
    proc_state(pid).is_some_and(|s| s != 'Z' && s != 'X')
}

/// The state letter of `pid` from /proc/PID/stat (R, S, D, T, Z...).
pub fn proc_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.trim_start().chars().next()
}

/// Polls `check` every 20 ms until true or `timeout`; panics naming `what` on timeout.
pub fn wait_until(what: &str, timeout: Duration, check: &mut dyn FnMut() -> bool) {
    let until = Instant::now() + timeout;
    loop {
        if check() {
            return;
        }
        if Instant::now() >= until {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls `check` for up to 10 s (for cleanup, which must not panic).
pub(super) fn wait_until_quiet(check: &mut dyn FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(10);
    while !check() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads lines from a child's stdout on a thread; `next_line` waits with a deadline.
pub struct LineReader {
    rx: std::sync::mpsc::Receiver<String>,
}

impl LineReader {
    /// Takes the child's stdout.
    pub fn new(child: &mut Child) -> LineReader {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        LineReader { rx }
    }

    /// The next line, or None when the stream ended or `timeout` passed.
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.rx.recv_timeout(timeout).ok()
    }
}

/// Waits for a child with a deadline; kills it (by its own pid) and panics on timeout.
pub fn wait_child(child: &mut Child, timeout: Duration, what: &str) -> std::process::ExitStatus {
    let until = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() >= until {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
