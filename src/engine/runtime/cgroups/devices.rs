//! Device access rules of containers' cgroups: Docker's default set, written once into
//! the v1 devices parent `berth/` (children copy it) or compiled into the v2 eBPF filter.

use super::super::devicefilter::DeviceRule;
use super::super::error::Result;
use super::write;
use crate::engine::store::FileLock;
use std::fs;
use std::path::Path;

/// The v1 devices parent of containers with devices of their own (see `for_config`).
pub(super) const OWN_DEVICES: &str = "berth-devices";

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
pub(super) fn default_device_rules() -> Vec<DeviceRule> {
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
pub(super) fn parent_has_device_rules(dir: &Path) -> bool {
    let Ok(_lock) = FileLock::directory(dir) else {
        return false;
    };
    let list = || fs::read_to_string(dir.join("devices.list")).unwrap_or_default();
    device_rules_match(&list()) || (write_device_rules(dir).is_ok() && device_rules_match(&list()))
}

/// Writes Docker's default device rules into the v1 devices cgroup `dir`.
pub(super) fn write_device_rules(dir: &Path) -> Result<()> {
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
}
