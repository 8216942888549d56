//! What a container's processes may do, worked out once per start in the shim: the
//! capabilities they keep, whether no_new_privs is set, and the compiled seccomp filter.
//! Every process berth starts in the container (the first one and each `exec`) goes
//! through `init::drop_privileges` and `init::seccomp_last` with these.

use super::seccomp;
use crate::engine::container::security::{Seccomp, SecurityConfig};
use caps::{CapSet, Capability, CapsHashSet};
use std::path::Path;

/// The privileges of a container's processes.
#[derive(Debug, Clone, Default)]
pub struct Privileges {
    /// The capabilities kept (bounding, permitted, effective; inheritable and ambient are
    /// empty).
    pub caps: CapsHashSet,
    /// Set no_new_privs before exec.
    pub no_new_privs: bool,
    /// The seccomp program to install last, if any.
    pub seccomp: Option<Vec<u8>>,
}

/// Every capability in this process's bounding set (what `--privileged` gets).
fn bounding_set() -> CapsHashSet {
    caps::all()
        .into_iter()
        .filter(|c| caps::has_cap(None, CapSet::Bounding, *c).unwrap_or(false))
        .collect()
}

fn parse(names: &[String]) -> CapsHashSet {
    names
        .iter()
        .filter_map(|n| n.parse::<Capability>().ok())
        .collect()
}

/// Docker's rule for `--cap-add`/`--cap-drop` over the default set `basics`: `--cap-add
/// ALL` gives every capability but the dropped ones; `--cap-drop ALL` keeps only the added
/// ones; otherwise the dropped ones go and the added ones come.
pub fn capabilities(sec: &SecurityConfig, basics: CapsHashSet) -> CapsHashSet {
    let all = || bounding_set();
    if sec.privileged {
        return all();
    }
    let add_all = sec.cap_add.iter().any(|c| c == "ALL");
    let drop_all = sec.cap_drop.iter().any(|c| c == "ALL");
    let (add, drop) = (parse(&sec.cap_add), parse(&sec.cap_drop));
    if add_all {
        all().difference(&drop).copied().collect()
    } else if drop_all {
        add
    } else {
        basics.difference(&drop).copied().chain(add).collect()
    }
}

impl Privileges {
    /// The privileges of a container with `sec`; `guards_devices` says whether a device
    /// cgroup keeps device nodes in check (without one CAP_MKNOD is not in the defaults);
    /// compiled filters are kept in `cache` (`seccomp::cache`).
    pub fn for_container(
        sec: &SecurityConfig,
        guards_devices: bool,
        cache: &Path,
    ) -> Result<Privileges, seccomp::SeccompError> {
        let caps = capabilities(sec, super::caps::container_set(guards_devices));
        let profile = match &sec.seccomp {
            _ if sec.privileged => None,
            Seccomp::Unconfined => None,
            Seccomp::Default => Some(seccomp::default::profile()),
            Seccomp::Profile(json) => Some(seccomp::Profile::from_json(json)?),
        };
        let seccomp = profile
            .map(|p| seccomp::cache::compiled(cache, &p, &caps))
            .transpose()?;
        Ok(Privileges {
            caps,
            no_new_privs: sec.no_new_privileges,
            seccomp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(add: &[&str], drop: &[&str]) -> SecurityConfig {
        SecurityConfig {
            cap_add: add.iter().map(|s| s.to_string()).collect(),
            cap_drop: drop.iter().map(|s| s.to_string()).collect(),
            ..SecurityConfig::default()
        }
    }

    #[test]
    fn cap_add_and_drop_as_docker() {
        let basics = super::super::caps::container_set(true);
        let c = capabilities(&sec(&["CAP_NET_ADMIN"], &["CAP_CHOWN"]), basics.clone());
        assert!(c.contains(&Capability::CAP_NET_ADMIN));
        assert!(!c.contains(&Capability::CAP_CHOWN));
        assert!(c.contains(&Capability::CAP_KILL));
        assert!(capabilities(&sec(&[], &["ALL"]), basics.clone()).is_empty());
        let only = capabilities(&sec(&["CAP_KILL"], &["ALL"]), basics.clone());
        assert_eq!(only.into_iter().collect::<Vec<_>>(), [Capability::CAP_KILL]);
        let most = capabilities(&sec(&["ALL"], &["CAP_SYS_ADMIN"]), basics);
        assert!(!most.contains(&Capability::CAP_SYS_ADMIN));
        assert!(most.contains(&Capability::CAP_NET_ADMIN));
    }
}
