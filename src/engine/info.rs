//! `info`: what `berth info` and `berth version` report about the host and the state
//! root, read by the engine so front ends never parse state files or probe the kernel.

use crate::engine::Engine;
use crate::engine::container::Status;
use crate::engine::error::Result;
use crate::engine::runtime::cgroups::{self, Layout};
use crate::engine::store::Paths;
use serde_json::Value;
use std::path::PathBuf;

/// The host berth runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostInfo {
    /// The kernel's release (`uname -r`).
    pub kernel_version: String,
    /// The machine (`uname -m`).
    pub architecture: String,
    /// The host name.
    pub hostname: String,
    /// `PRETTY_NAME` of /etc/os-release (`Linux` without one).
    pub operating_system: String,
    /// `overlay2` where the kernel has overlayfs, else `vfs`.
    pub storage_driver: &'static str,
    /// The cgroup version in use: `1` or `2`.
    pub cgroup_version: &'static str,
    /// CPUs available to berth.
    pub ncpu: usize,
    /// The host's memory in bytes.
    pub mem_total: u64,
}

impl HostInfo {
    /// Reads the host's facts.
    pub fn probe() -> HostInfo {
        let (kernel_version, architecture, hostname) = uname();
        HostInfo {
            kernel_version,
            architecture,
            hostname,
            operating_system: os_release(),
            storage_driver: storage_driver(),
            cgroup_version: match cgroups::layout() {
                Layout::V2 => "2",
                Layout::V1 => "1",
            },
            ncpu: std::thread::available_parallelism().map_or(1, |n| n.get()),
            mem_total: mem_total(),
        }
    }
}

/// Counts of the state root's objects and the host's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    /// Every container.
    pub containers: usize,
    /// Running or restarting ones.
    pub running: usize,
    /// Paused ones.
    pub paused: usize,
    /// The others.
    pub stopped: usize,
    /// Images (distinct manifests referenced by the index).
    pub images: usize,
    /// The state root.
    pub root: PathBuf,
    /// The host.
    pub host: HostInfo,
}

impl SystemInfo {
    /// The document Docker's `GET /info` returns (field names and shapes as Docker's):
    /// what `berth info --format` reads and what the Engine API serves.
    pub fn docker_document(&self) -> Value {
        let host = &self.host;
        serde_json::json!({
            "ID": "",
            "Containers": self.containers,
            "ContainersRunning": self.running,
            "ContainersPaused": self.paused,
            "ContainersStopped": self.stopped,
            "Images": self.images,
            "Driver": host.storage_driver,
            "LoggingDriver": "json-file",
            "CgroupDriver": "cgroupfs",
            "CgroupVersion": host.cgroup_version,
            "KernelVersion": host.kernel_version,
            "OperatingSystem": host.operating_system,
            "OSType": "linux",
            "Architecture": host.architecture,
            "NCPU": host.ncpu,
            "MemTotal": host.mem_total,
            "Name": host.hostname,
            "DockerRootDir": self.root.to_string_lossy(),
            "ServerVersion": env!("CARGO_PKG_VERSION"),
            "IndexServerAddress": "https://index.docker.io/v1/",
            "Plugins": {
                "Volume": ["local"],
                "Network": ["bridge", "host", "none"],
                "Log": ["json-file"],
            },
            "SecurityOptions": ["name=seccomp,profile=builtin"],
            "Swarm": { "LocalNodeState": "inactive" },
            "Debug": false,
            "ExperimentalBuild": false,
        })
    }
}

impl Engine {
    /// What `berth info` shows.
    pub fn info(&self) -> Result<SystemInfo> {
        let containers = self.containers()?;
        let count =
            |f: &dyn Fn(Status) -> bool| containers.iter().filter(|c| f(c.state.status)).count();
        let running = count(&|s| matches!(s, Status::Running | Status::Restarting));
        let paused = count(&|s| s == Status::Paused);
        Ok(SystemInfo {
            containers: containers.len(),
            running,
            paused,
            stopped: containers.len() - running - paused,
            images: count_images(self.paths()),
            root: self.paths().root.clone(),
            host: HostInfo::probe(),
        })
    }
}

fn uname() -> (String, String, String) {
    match nix::sys::utsname::uname() {
        Ok(u) => (
            u.release().to_string_lossy().into_owned(),
            u.machine().to_string_lossy().into_owned(),
            u.nodename().to_string_lossy().into_owned(),
        ),
        Err(_) => (String::new(), std::env::consts::ARCH.into(), String::new()),
    }
}

/// Images in the store, dangling ones included (as Docker's `info` counts them).
fn count_images(paths: &Paths) -> usize {
    crate::engine::image::index::Index::load(paths).map_or(0, |index| index.images.len())
}

fn os_release() -> String {
    let text = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "Linux".to_string())
}

fn mem_total() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

fn storage_driver() -> &'static str {
    let fs = std::fs::read_to_string("/proc/filesystems").unwrap_or_default();
    if fs
        .lines()
        .any(|l| l.split_whitespace().last() == Some("overlay"))
    {
        "overlay2"
    } else {
        "vfs"
    }
}
