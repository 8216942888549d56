//! Control groups for containers, on cgroup v1 (one hierarchy per controller, as on this
//! machine's hybrid layout) and on the unified v2 hierarchy.
//!
//! Each container gets `berth/<id>` in every hierarchy it uses. Limits are written before
//! the container's first process is let go, so it never runs unconstrained.

mod devices;
mod freeze;
mod limits;

use super::devicefilter::{self, DeviceRule};
use super::error::{Result, RuntimeError};
use crate::engine::container::Resources;
use devices::{OWN_DEVICES, default_device_rules, parent_has_device_rules, write_device_rules};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the cgroup hierarchies are mounted.
const CGROUP_ROOT: &str = "/sys/fs/cgroup";
/// v1 controllers berth uses (cpuset needs cpus/mems copied in and is not limited by berth).
const V1_CONTROLLERS: &[&str] = &[
    "memory", "pids", "cpu", "cpuacct", "blkio", "freezer", "devices",
];

/// Which cgroup layout the host has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Pure cgroup v2.
    V2,
    /// cgroup v1 controllers (possibly with an empty unified hierarchy beside them).
    V1,
}

/// Detects the host's layout (once per process: it does not change while berth runs, and
/// the dashboard's samplers ask for every container every second).
pub fn layout() -> Layout {
    static LAYOUT: std::sync::OnceLock<Layout> = std::sync::OnceLock::new();
    *LAYOUT.get_or_init(|| {
        if Path::new(CGROUP_ROOT).join("cgroup.controllers").exists() {
            Layout::V2
        } else {
            Layout::V1
        }
    })
}

/// The v1 controllers mounted on this host (read once per process, as [`layout`]).
fn mounted_v1_controllers() -> &'static [&'static str] {
    static MOUNTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    MOUNTED.get_or_init(|| {
        V1_CONTROLLERS
            .iter()
            .copied()
            .filter(|c| Path::new(CGROUP_ROOT).join(c).join("cgroup.procs").exists())
            .collect()
    })
}

/// A container's cgroup(s).
#[derive(Debug, Clone)]
pub struct Cgroup {
    layout: Layout,
    /// For v2 one directory; for v1 one per controller that is mounted.
    dirs: Vec<(String, PathBuf)>,
    /// Device rules beyond Docker's defaults (`--device`; `a *:* rwm` for `--privileged`),
    /// in the v1 `devices.allow` format; v2 puts them in its eBPF filter.
    extra_devices: Vec<String>,
}

impl Cgroup {
    /// The cgroup of container `id` (not created yet).
    pub fn for_container(id: &str) -> Cgroup {
        let layout = layout();
        let dirs = match layout {
            Layout::V2 => vec![(
                "unified".to_string(),
                Path::new(CGROUP_ROOT).join("berth").join(id),
            )],
            Layout::V1 => mounted_v1_controllers()
                .iter()
                .map(|c| {
                    (
                        c.to_string(),
                        Path::new(CGROUP_ROOT).join(c).join("berth").join(id),
                    )
                })
                .collect(),
        };
        Cgroup {
            layout,
            dirs,
            extra_devices: Vec::new(),
        }
    }

    /// The cgroup of the container `config` describes. A container given devices beyond
    /// Docker's set (`--device`, `--privileged`) has its v1 devices cgroup under
    /// `berth-devices/` instead of `berth/`: a v1 devices cgroup can allow no more than its
    /// parent, and `berth/` holds Docker's default rules for every other container.
    pub fn for_config(config: &crate::engine::container::ContainerConfig) -> Cgroup {
        let mut cg = Cgroup::for_container(&config.id);
        let sec = &config.security;
        cg.extra_devices = if sec.privileged {
            vec!["a *:* rwm".into()]
        } else {
            sec.devices.iter().map(|d| d.rule()).collect()
        };
        if !cg.extra_devices.is_empty() {
            for (controller, d) in cg.dirs.iter_mut() {
                if controller == "devices" {
                    *d = Path::new(CGROUP_ROOT)
                        .join("devices")
                        .join(OWN_DEVICES)
                        .join(&config.id);
                }
            }
        }
        cg
    }

    /// The layout in use.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Whether a device-access controller guards this cgroup: v1's `devices`, or on v2 the
    /// eBPF device filter `create` attaches (it fails when it cannot).
    pub fn guards_devices(&self) -> bool {
        match self.layout {
            Layout::V1 => self.dir("devices").is_some(),
            Layout::V2 => !self.dirs.is_empty(),
        }
    }

    fn dir(&self, controller: &str) -> Option<&Path> {
        self.dirs
            .iter()
            .find(|(c, _)| c == controller || self.layout == Layout::V2)
            .map(|(_, d)| d.as_path())
    }

    /// Creates the cgroup directories and applies the limits.
    pub fn create(&self, res: &Resources) -> Result<()> {
        if self.layout == Layout::V2 {
            enable_v2_controllers()?;
        }
        for (controller, d) in &self.dirs {
            let parent = d.parent().unwrap_or(d);
            let devices = self.layout == Layout::V1 && controller == "devices";
            // Before the child exists: a new v1 devices cgroup copies its parent's rules at
            // creation, so they are set once on `berth/` rather than written (13 writes)
            // into every container's cgroup.
            if devices {
                fs::create_dir_all(parent).map_err(|e| RuntimeError::file("create", parent, e))?;
            }
            // Under `berth-devices/` the parent allows everything: the child gets Docker's
            // rules written, then its own devices (`allow_devices`).
            let own = parent.file_name().is_some_and(|n| n == OWN_DEVICES);
            let inherited = devices && !own && parent_has_device_rules(parent);
            // The child first: `berth/` exists but for the first container (a
            // create_dir_all of it would cost a mkdir and a stat per hierarchy).
            let made = match fs::create_dir(d) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(parent)
                        .map_err(|e| RuntimeError::file("create", parent, e))?;
                    fs::create_dir(d)
                }
                other => other,
            };
            let made = match made {
                Ok(()) => true,
                // Left over from a crash (reconcile normally removes it).
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(RuntimeError::file("create", d, e)),
            };
            if devices && !(inherited && made) {
                write_device_rules(d)?;
            }
            if devices {
                for rule in &self.extra_devices {
                    write(d, "devices.allow", rule)?;
                }
            }
            // `--privileged` (`a *:* rwm`) on v2: every device, so no filter at all (a program
            // that allows everything up front is refused by the verifier: its other rules
            // would be unreachable).
            let allow_all = self.extra_devices.iter().any(|r| r == "a *:* rwm");
            if self.layout == Layout::V2 && !allow_all {
                // v2 has no devices controller: the same rules as an eBPF program.
                let mut rules = default_device_rules();
                rules.extend(
                    self.extra_devices
                        .iter()
                        .filter_map(|r| DeviceRule::parse(r)),
                );
                devicefilter::attach(d, &rules)
                    .map_err(|e| RuntimeError::file("guard device access in", d, e))?;
            }
        }
        self.apply_limits(res, &mut limits::Kernel)
    }

    /// Moves the calling process, which must be single-threaded (the container's first
    /// process before it execs), into the cgroup. On v1 it writes `0` to each hierarchy's
    /// `tasks`: the kernel then moves the writing thread itself without the global
    /// threadgroup lock that a `cgroup.procs` write takes, whose first taking waits for an
    /// RCU grace period (10+ ms on a busy machine, measured). On v2 `cgroup.procs`.
    pub fn join_self(&self) -> Result<()> {
        let file = match self.layout {
            Layout::V1 => "tasks",
            Layout::V2 => "cgroup.procs",
        };
        for (_, d) in &self.dirs {
            write(d, file, "0")?;
        }
        Ok(())
    }

    /// Whether the kernel's OOM killer has killed a process in this cgroup.
    pub fn oom_killed(&self) -> bool {
        let (dir, file) = match self.layout {
            Layout::V1 => (self.dir("memory"), "memory.oom_control"),
            Layout::V2 => (self.dir("unified"), "memory.events"),
        };
        let Some(dir) = dir else { return false };
        fs::read_to_string(dir.join(file))
            .ok()
            .and_then(|s| {
                s.lines().find_map(|l| {
                    l.strip_prefix("oom_kill ")
                        .and_then(|n| n.trim().parse::<u64>().ok())
                })
            })
            .is_some_and(|n| n > 0)
    }

    /// Pids of every process in the cgroup.
    pub fn pids(&self) -> Vec<i32> {
        let Some((_, d)) = self.dirs.first() else {
            return Vec::new();
        };
        fs::read_to_string(d.join("cgroup.procs"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    /// Kills every process in the cgroup (thawing it first so the kill is delivered).
    pub fn kill_all(&self) {
        let _ = self.set_frozen(false);
        for pid in self.pids() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }

    /// Removes the cgroup directories, waiting briefly for dying processes to leave.
    pub fn remove(&self) {
        for (_, d) in &self.dirs {
            // Busy while the last processes are still leaving it; gone or never made is
            // done (no stat first: one syscall per hierarchy on every container's exit).
            for _ in 0..50 {
                match fs::remove_dir(d) {
                    Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    _ => break,
                }
            }
        }
    }

    /// The directory of a controller (for stats readers).
    pub fn controller_dir(&self, controller: &str) -> Option<PathBuf> {
        self.dir(controller).map(Path::to_path_buf)
    }

    /// The file that counts the CPU time the container used: v1 `cpuacct.usage`
    /// (nanoseconds), v2 `cpu.stat` (`usage_usec`). Read it with [`parse_cpu_usage`].
    pub fn cpu_usage_file(&self) -> Option<PathBuf> {
        match self.layout {
            Layout::V1 => self.dir("cpuacct").map(|d| d.join("cpuacct.usage")),
            Layout::V2 => self.dir("unified").map(|d| d.join("cpu.stat")),
        }
    }
}

/// The CPU time in nanoseconds from the text of [`Cgroup::cpu_usage_file`].
pub fn parse_cpu_usage(layout: Layout, text: &str) -> Option<u64> {
    match layout {
        Layout::V1 => text.trim().parse().ok(),
        Layout::V2 => text.lines().find_map(|l| {
            let usec: u64 = l.strip_prefix("usage_usec ")?.trim().parse().ok()?;
            Some(usec * 1000)
        }),
    }
}

fn enable_v2_controllers() -> Result<()> {
    let root = Path::new(CGROUP_ROOT);
    let berth = root.join("berth");
    fs::create_dir_all(&berth).map_err(|e| RuntimeError::file("create", &berth, e))?;
    for dir in [root, berth.as_path()] {
        let available = fs::read_to_string(root.join("cgroup.controllers")).unwrap_or_default();
        for c in ["memory", "pids", "cpu", "io"] {
            if available.split_whitespace().any(|a| a == c) {
                let _ = fs::write(dir.join("cgroup.subtree_control"), format!("+{c}"));
            }
        }
    }
    Ok(())
}

/// Writes `value` into the control file `file` of `dir`.
fn write(dir: &Path, file: &str, value: &str) -> Result<()> {
    let path = dir.join(file);
    fs::write(&path, value).map_err(|source| RuntimeError::CgroupWrite {
        path,
        value: value.to_string(),
        source,
    })
}
