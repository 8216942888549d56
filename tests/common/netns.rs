//! A network namespace of a test's own, so tests that make bridges, veths and published
//! ports leave the host untouched: every berth command of the test runs inside it through
//! `nsenter --net`, and deleting the namespace takes its bridges and veths with it.
//! (iproute2 and nsenter are test tools only; berth itself uses netlink.)

#![allow(dead_code)]

use super::harness::{Berth, Out};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A named network namespace (`/run/netns/<name>`) with its loopback up; deleted on drop.
pub struct NetNs {
    /// Its name for `ip netns`.
    pub name: String,
}

fn out(o: std::process::Output) -> Out {
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

impl NetNs {
    /// Creates the namespace and brings `lo` up in it.
    pub fn new() -> NetNs {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "berth-t{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let ok = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .expect("run ip netns add")
            .success();
        assert!(ok, "ip netns add {name} failed");
        let ns = NetNs { name };
        let lo = ns.host(&["ip", "link", "set", "lo", "up"]);
        assert_eq!(lo.code, 0, "bring lo up: {lo:?}");
        ns
    }

    /// Replaces the namespace by a fresh one of the same name (loopback up): what a reboot
    /// does to the network (bridges, veths and nftables rules gone).
    pub fn reset(&self) {
        let ok = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status()
            .expect("run ip netns del")
            .success();
        assert!(ok, "ip netns del {} failed", self.name);
        let ok = Command::new("ip")
            .args(["netns", "add", &self.name])
            .status()
            .expect("run ip netns add")
            .success();
        assert!(ok, "ip netns add {} failed", self.name);
        let lo = self.host(&["ip", "link", "set", "lo", "up"]);
        assert_eq!(lo.code, 0, "bring lo up: {lo:?}");
    }

    /// The namespace file.
    pub fn path(&self) -> PathBuf {
        PathBuf::from("/run/netns").join(&self.name)
    }

    /// Runs a host program (not berth) inside the namespace.
    pub fn host(&self, argv: &[&str]) -> Out {
        out(Command::new("nsenter")
            .arg(format!("--net={}", self.path().display()))
            .args(argv)
            .stdin(Stdio::null())
            .output()
            .expect("run nsenter"))
    }

    /// Runs `berth ARGS` of `b` inside the namespace.
    pub fn berth(&self, b: &Berth, args: &[&str]) -> Out {
        let c = b.cmd(args);
        out(Command::new("nsenter")
            .arg(format!("--net={}", self.path().display()))
            .arg(c.get_program())
            .args(c.get_args())
            .stdin(Stdio::null())
            .output()
            .expect("run berth in the namespace"))
    }

    /// Runs `berth ARGS` inside the namespace, asserts success, returns stdout.
    pub fn ok(&self, b: &Berth, args: &[&str]) -> String {
        let o = self.berth(b, args);
        assert_eq!(o.code, 0, "berth {args:?} failed: {o:?}");
        o.stdout
    }

    /// Names of the links in the namespace.
    pub fn links(&self) -> Vec<String> {
        let o = self.host(&["ip", "-o", "link", "show"]);
        o.stdout
            .lines()
            .filter_map(|l| l.split(':').nth(1))
            .map(|n| n.trim().split('@').next().unwrap_or_default().to_string())
            .collect()
    }
}

/// Runs `argv` inside a running container (pid `pid`): its network and mount namespaces and
/// its root, like `docker exec`.
pub fn in_container(pid: i64, argv: &[&str]) -> Out {
    out(Command::new("nsenter")
        .args(["-t", &pid.to_string(), "-n", "-m", "-u", "-r", "-w"])
        .args(argv)
        .stdin(Stdio::null())
        .output()
        .expect("run nsenter into the container"))
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}
