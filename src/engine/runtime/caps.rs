//! Linux capabilities: Docker's default set for container processes.

use super::error::{Result, RuntimeError};
use caps::{CapSet, Capability, CapsHashSet};

/// Docker's default capabilities.
pub const DEFAULT: &[Capability] = &[
    Capability::CAP_CHOWN,
    Capability::CAP_DAC_OVERRIDE,
    Capability::CAP_FSETID,
    Capability::CAP_FOWNER,
    Capability::CAP_MKNOD,
    Capability::CAP_NET_RAW,
    Capability::CAP_SETGID,
    Capability::CAP_SETUID,
    Capability::CAP_SETFCAP,
    Capability::CAP_SETPCAP,
    Capability::CAP_NET_BIND_SERVICE,
    Capability::CAP_SYS_CHROOT,
    Capability::CAP_KILL,
    Capability::CAP_AUDIT_WRITE,
];

/// The set a container gets: Docker's default, less `CAP_MKNOD` when no device cgroup
/// guards device access (without it a device node made in the container would reach the
/// host's disks).
pub fn container_set(device_cgroup: bool) -> CapsHashSet {
    DEFAULT
        .iter()
        .copied()
        .filter(|c| device_cgroup || *c != Capability::CAP_MKNOD)
        .collect()
}

/// Drops every capability outside `keep` from the bounding set, so no exec can regain
/// them. Done while the process is still root with every capability (it takes
/// CAP_SETPCAP), before it changes its identity.
pub fn limit_bounding(keep: &CapsHashSet) -> Result<()> {
    for cap in caps::all() {
        if !keep.contains(&cap) && caps::has_cap(None, CapSet::Bounding, cap).unwrap_or(false) {
            caps::drop(None, CapSet::Bounding, cap).map_err(|e| fail(format!("drop {cap}"), e))?;
        }
    }
    Ok(())
}

/// After the identity change: the permitted and effective sets become `keep` (as far as
/// the process still has them: a user other than root has none left), the inheritable
/// and ambient sets empty. A process that keeps capabilities across an exec does so as
/// root through the bounding set, never through inheritance (the CVE-2022-24769 pattern).
pub fn set_process_sets(keep: &CapsHashSet) -> Result<()> {
    let have = caps::read(None, CapSet::Permitted).map_err(|e| fail("read permitted", e))?;
    let keep: CapsHashSet = keep.intersection(&have).copied().collect();
    caps::clear(None, CapSet::Ambient).map_err(|e| fail("clear ambient", e))?;
    caps::clear(None, CapSet::Inheritable).map_err(|e| fail("clear inheritable", e))?;
    caps::set(None, CapSet::Effective, &keep).map_err(|e| fail("set effective", e))?;
    caps::set(None, CapSet::Permitted, &keep).map_err(|e| fail("set permitted", e))?;
    Ok(())
}

fn fail(call: impl Into<String>, source: caps::errors::CapsError) -> RuntimeError {
    RuntimeError::Capabilities {
        call: call.into(),
        source,
    }
}
