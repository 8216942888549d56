//! The container's /dev: Docker's device nodes, the devices the container was given
//! (`--device`, every host device with `--privileged`) and the standard symlinks.

use super::super::error::{Result, RuntimeError};
use super::super::inroot::Root;
use crate::engine::container::devices::Device;
use nix::sys::stat::{FchmodatFlags, Mode, SFlag, fchmodat, makedev, mknod};
use std::os::unix::fs::symlink;
use std::path::Path;

/// Device nodes made in the container's /dev (Docker's default set): name, major, minor.
const DEVICES: &[(&str, u64, u64)] = &[
    ("null", 1, 3),
    ("zero", 1, 5),
    ("full", 1, 7),
    ("random", 1, 8),
    ("urandom", 1, 9),
    ("tty", 5, 0),
];

/// The symlinks of /dev: name, target.
const LINKS: &[(&str, &str)] = &[
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
    ("ptmx", "pts/ptmx"),
    ("core", "/proc/kcore"),
];

/// Fills the container's /dev (a fresh tmpfs under `root`): Docker's nodes, `devices`,
/// the symlinks.
pub fn populate(root: &Path, devices: &[Device]) -> Result<()> {
    let dev = root.join("dev");
    for (name, major, minor) in DEVICES {
        make_device(&dev.join(name), *major, *minor)?;
    }
    make_extra_devices(root, devices)?;
    for (link, target) in LINKS {
        let _ = symlink(target, dev.join(link));
    }
    Ok(())
}

/// Makes character device `major:minor` at `target`, mode 0666 whatever the umask, as runc
/// does outside a user namespace: one mknod instead of a file plus a bind mount of the
/// host's node. The devices cgroup still decides what the container may open.
fn make_device(target: &Path, major: u64, minor: u64) -> Result<()> {
    let mode = Mode::from_bits_truncate(0o666);
    mknod(target, SFlag::S_IFCHR, mode, makedev(major, minor))
        .map_err(|e| RuntimeError::path("create device", target, e))?;
    fchmodat(
        nix::fcntl::AT_FDCWD,
        target,
        mode,
        FchmodatFlags::FollowSymlink,
    )
    .map_err(|e| RuntimeError::path("set the mode of", target, e))
}

/// Makes the nodes of `devices` inside the root (their parents resolved by the kernel in
/// the root); one already there (Docker's set) is left as it is.
fn make_extra_devices(root: &Path, devices: &[Device]) -> Result<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let r = Root::open(root)?;
    // Mode 0666 whatever the umask, as Docker's set is made (the cgroup decides access).
    let old_umask = nix::sys::stat::umask(Mode::empty());
    let made = make_nodes(&r, devices);
    nix::sys::stat::umask(old_umask);
    made
}

fn make_nodes(r: &Root, devices: &[Device]) -> Result<()> {
    for d in devices {
        let path = Path::new(&d.container);
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let dir = r.mkdir_all(&parent.to_string_lossy())?;
        let kind = if d.kind == 'b' {
            SFlag::S_IFBLK
        } else {
            SFlag::S_IFCHR
        };
        let mode = Mode::from_bits_truncate(0o666);
        match nix::sys::stat::mknodat(&dir, name, kind, mode, makedev(d.major, d.minor)) {
            Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
            Err(e) => return Err(RuntimeError::path("create device", &d.container, e)),
        }
    }
    Ok(())
}
