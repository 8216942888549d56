//! Control groups for containers, on cgroup v1 (one hierarchy per controller, as on this
//! machine's hybrid layout) and on the unified v2 hierarchy.
//!
//! Each container gets `berth/<id>` in every hierarchy it uses. Limits are written before
//! the container's first process is let go, so it never runs unconstrained.

use super::devicefilter::{self, DeviceRule};
use crate::engine::container::Resources;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::FileLock;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// Detects the host's layout.
pub fn layout() -> Layout {
    if Path::new(CGROUP_ROOT).join("cgroup.controllers").exists() {
        Layout::V2
    } else {
        Layout::V1
    }
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
            Layout::V1 => V1_CONTROLLERS
                .iter()
                .filter(|c| Path::new(CGROUP_ROOT).join(c).join("cgroup.procs").exists())
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
                fs::create_dir_all(parent).at(parent)?;
            }
            // Under `berth-devices/` the parent allows everything: the child gets Docker's
            // rules written, then its own devices (`allow_devices`).
            let own = parent.file_name().is_some_and(|n| n == OWN_DEVICES);
            let inherited = devices && !own && parent_has_device_rules(parent);
            // The child first: `berth/` exists but for the first container (a
            // create_dir_all of it would cost a mkdir and a stat per hierarchy).
            let made = match fs::create_dir(d) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(parent).at(parent)?;
                    fs::create_dir(d)
                }
                other => other,
            };
            let made = match made {
                Ok(()) => true,
                // Left over from a crash (reconcile normally removes it).
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(e).at(d),
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
                devicefilter::attach(d, &rules).map_err(|e| {
                    EngineError::Other(format!(
                        "cannot guard device access in {}: {e}",
                        d.display()
                    ))
                })?;
            }
        }
        match self.layout {
            Layout::V1 => self.apply_v1(res),
            Layout::V2 => self.apply_v2(res),
        }
    }

    /// A limit was asked for but its controller is not mounted: refuse rather than run the
    /// container unconstrained (e.g. under `ip netns exec`, which mounts a fresh /sys).
    fn missing(controller: &str, flag: &str) -> EngineError {
        EngineError::Other(format!(
            "cannot apply {flag}: the cgroup '{controller}' controller is not mounted under {CGROUP_ROOT}"
        ))
    }

    fn check_v1(&self, res: &Resources) -> Result<()> {
        let wanted = [
            (res.memory.is_some(), "memory", "--memory"),
            (res.nano_cpus.is_some(), "cpu", "--cpus"),
            (res.pids_limit.is_some(), "pids", "--pids-limit"),
        ];
        for (asked, controller, flag) in wanted {
            if asked && self.dir(controller).is_none() {
                return Err(Self::missing(controller, flag));
            }
        }
        Ok(())
    }

    fn apply_v1(&self, res: &Resources) -> Result<()> {
        self.check_v1(res)?;
        if let (Some(mem), Some(d)) = (res.memory, self.dir("memory")) {
            write(d, "memory.limit_in_bytes", &mem.to_string())?;
            // Swap is limited to the same amount (no extra swap), as with `--memory-swap` = memory.
            let _ = fs::write(d.join("memory.memsw.limit_in_bytes"), mem.to_string());
        }
        if let (Some(cpus), Some(d)) = (res.nano_cpus, self.dir("cpu")) {
            write(d, "cpu.cfs_period_us", "100000")?;
            write(d, "cpu.cfs_quota_us", &(cpus / 10_000).to_string())?;
        }
        if let (Some(pids), Some(d)) = (res.pids_limit, self.dir("pids")) {
            let v = if pids <= 0 {
                "max".to_string()
            } else {
                pids.to_string()
            };
            write(d, "pids.max", &v)?;
        }
        Ok(())
    }

    fn apply_v2(&self, res: &Resources) -> Result<()> {
        let Some(d) = self.dir("unified") else {
            return Ok(());
        };
        if let Some(mem) = res.memory {
            write(d, "memory.max", &mem.to_string())?;
            let _ = fs::write(d.join("memory.swap.max"), "0");
        }
        if let Some(cpus) = res.nano_cpus {
            write(d, "cpu.max", &format!("{} 100000", cpus / 10_000))?;
        }
        if let Some(pids) = res.pids_limit {
            let v = if pids <= 0 {
                "max".to_string()
            } else {
                pids.to_string()
            };
            write(d, "pids.max", &v)?;
        }
        Ok(())
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

    /// Freezes (`pause`) or thaws (`unpause`) every process in the cgroup, and waits until
    /// the kernel says it is done (freezing is asynchronous: v1 shows `FREEZING`, v2's
    /// `cgroup.events` says `frozen 0` until every task has stopped), as runc does. A freeze
    /// that does not finish in a few seconds is undone and reported.
    pub fn set_frozen(&self, frozen: bool) -> Result<()> {
        let (d, file, value, state_file, done) = match self.layout {
            Layout::V1 => {
                let d = self.dir("freezer").ok_or_else(|| {
                    EngineError::Other("the freezer cgroup controller is not mounted".into())
                })?;
                let (value, done) = if frozen {
                    ("FROZEN", "FROZEN")
                } else {
                    ("THAWED", "THAWED")
                };
                (d, "freezer.state", value, "freezer.state", done)
            }
            Layout::V2 => {
                let d = self
                    .dir("unified")
                    .ok_or_else(|| EngineError::Other("no cgroup".into()))?;
                let (value, done) = if frozen {
                    ("1", "frozen 1")
                } else {
                    ("0", "frozen 0")
                };
                (d, "cgroup.freeze", value, "cgroup.events", done)
            }
        };
        write(d, file, value)?;
        let reached = || {
            fs::read_to_string(d.join(state_file))
                .map(|s| s.lines().any(|l| l.trim() == done))
                // Unreadable: nothing to wait for.
                .unwrap_or(true)
        };
        for _ in 0..500 {
            if reached() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if frozen {
            let _ = self.set_frozen(false);
            return Err(EngineError::Other(format!(
                "cannot pause: the processes in {} did not freeze within 5 seconds",
                d.display()
            )));
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

    /// The CPU time the container used so far, in nanoseconds.
    pub fn cpu_usage_ns(&self) -> Option<u64> {
        let text = fs::read_to_string(self.cpu_usage_file()?).ok()?;
        parse_cpu_usage(self.layout, &text)
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

/// The v1 devices parent of containers with devices of their own (see `for_config`).
const OWN_DEVICES: &str = "berth-devices";

/// Docker's default device rules: the standard character devices, ptys, and mknod of any
/// char/block device (which is useless without read/write access to it).
const DEFAULT_DEVICE_RULES: &[&str] = &[
    "c *:* m",
    "b *:* m",
    "c 1:3 rwm",    // null
    "c 1:5 rwm",    // zero
    "c 1:7 rwm",    // full
    "c 1:8 rwm",    // random
    "c 1:9 rwm",    // urandom
    "c 5:0 rwm",    // tty
    "c 5:1 rwm",    // console
    "c 5:2 rwm",    // ptmx
    "c 136:* rwm",  // pts
    "c 10:200 rwm", // tun
];

/// Docker's default device rules as the eBPF device filter takes them.
fn default_device_rules() -> Vec<DeviceRule> {
    DEFAULT_DEVICE_RULES
        .iter()
        .filter_map(|r| DeviceRule::parse(r))
        .collect()
}

/// Whether `dir` (the v1 devices cgroup `berth/`) denies every device except Docker's
/// default set, making it so when it does not yet. Serialised by a flock on the directory,
/// so two first starts never interleave their writes. False when the rules cannot be set
/// there: the kernel refuses to change the default of a cgroup that has children (left by
/// an older berth that wrote the rules per container), and then each child gets its own.
fn parent_has_device_rules(dir: &Path) -> bool {
    let Ok(_lock) = FileLock::directory(dir) else {
        return false;
    };
    let list = || fs::read_to_string(dir.join("devices.list")).unwrap_or_default();
    device_rules_match(&list()) || (write_device_rules(dir).is_ok() && device_rules_match(&list()))
}

/// Writes Docker's default device rules into the v1 devices cgroup `dir`.
fn write_device_rules(dir: &Path) -> Result<()> {
    write(dir, "devices.deny", "a")?;
    for rule in DEFAULT_DEVICE_RULES {
        write(dir, "devices.allow", rule)?;
    }
    Ok(())
}

/// Whether a `devices.list` holds exactly Docker's default rules (in any order).
fn device_rules_match(list: &str) -> bool {
    let mut have: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut want: Vec<&str> = DEFAULT_DEVICE_RULES.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    have == want
}

fn enable_v2_controllers() -> Result<()> {
    let root = Path::new(CGROUP_ROOT);
    let berth = root.join("berth");
    fs::create_dir_all(&berth).at(&berth)?;
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

fn write(dir: &Path, file: &str, value: &str) -> Result<()> {
    let p = dir.join(file);
    fs::write(&p, value)
        .map_err(|e| EngineError::Other(format!("cannot set {}={value}: {e}", p.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_rules_are_recognised_in_any_order_and_nothing_else_is() {
        let mut lines: Vec<&str> = DEFAULT_DEVICE_RULES.to_vec();
        lines.reverse();
        assert!(device_rules_match(&(lines.join("\n") + "\n")));
        // The list of a fresh cgroup that allows everything, and a list with one rule more.
        assert!(!device_rules_match("a *:* rwm\n"));
        lines.push("c 4:1 rwm");
        assert!(!device_rules_match(&lines.join("\n")));
    }

    #[test]
    fn every_default_device_rule_reaches_the_v2_filter() {
        assert_eq!(default_device_rules().len(), DEFAULT_DEVICE_RULES.len());
    }

    #[test]
    fn a_limit_without_its_controller_is_refused_not_ignored() {
        // No hierarchy mounted, as under `ip netns exec` (a fresh /sys).
        let none = Cgroup {
            layout: Layout::V1,
            dirs: vec![],
            extra_devices: vec![],
        };
        let res = Resources {
            memory: Some(32 << 20),
            ..Resources::default()
        };
        let e = none.check_v1(&res).expect_err("must refuse");
        assert!(e.to_string().contains("--memory"), "{e}");
        assert!(
            none.check_v1(&Resources::default()).is_ok(),
            "no limit, no need"
        );
        let pids_only = Cgroup {
            layout: Layout::V1,
            dirs: vec![("pids".into(), PathBuf::from("/nonexistent"))],
            extra_devices: vec![],
        };
        let res = Resources {
            pids_limit: Some(10),
            ..Resources::default()
        };
        assert!(pids_only.check_v1(&res).is_ok());
    }
}
