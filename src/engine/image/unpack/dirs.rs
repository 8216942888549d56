//! Directory walking inside the layer being unpacked: never through a symlink.

use super::invalid;
use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{Mode, fstatat, mkdirat};
use nix::unistd::{UnlinkatFlags, unlinkat};
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::Path;

/// Opens the directory `comps` below `root` without following symlinks, creating missing
/// directories (mode 0755) when `create`.
pub(super) fn walk(root: BorrowedFd<'_>, comps: &[OsString], create: bool) -> Result<OwnedFd> {
    let flags = OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_RDONLY | OFlag::O_CLOEXEC;
    let mut cur: Option<OwnedFd> = None;
    for (i, c) in comps.iter().enumerate() {
        let parent = cur.as_ref().map(|f| f.as_fd()).unwrap_or(root);
        let next = match openat(parent, c.as_os_str(), flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::ENOENT) if create => {
                match mkdirat(parent, c.as_os_str(), Mode::from_bits_truncate(0o755)) {
                    Ok(()) | Err(Errno::EEXIST) => {}
                    Err(e) => return Err(EngineError::sys("create directory", e)),
                }
                openat(parent, c.as_os_str(), flags, Mode::empty())
                    .map_err(|e| EngineError::sys("open directory", e))?
            }
            Err(Errno::ELOOP) | Err(Errno::ENOTDIR) => {
                let p: Vec<_> = comps[..=i].iter().map(|c| c.to_string_lossy()).collect();
                return Err(invalid(format!(
                    "'{}' is a symlink or not a directory; refusing to go through it",
                    p.join("/")
                )));
            }
            Err(Errno::ENOENT) => {
                let p: Vec<_> = comps[..=i].iter().map(|c| c.to_string_lossy()).collect();
                return Err(invalid(format!(
                    "'{}' does not exist in the layer",
                    p.join("/")
                )));
            }
            Err(e) => return Err(EngineError::sys("open directory", e)),
        };
        cur = Some(next);
    }
    match cur {
        Some(fd) => Ok(fd),
        None => {
            let fd = nix::unistd::dup(root).map_err(|e| EngineError::sys("dup", e))?;
            Ok(fd)
        }
    }
}

/// Removes whatever is at `name` in `dir` unless it is a directory and `keep_dir`.
/// Returns whether a directory was kept.
pub(super) fn clear(dir: BorrowedFd<'_>, name: &OsStr, keep_dir: bool) -> Result<bool> {
    let st = match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
        Ok(st) => st,
        Err(Errno::ENOENT) => return Ok(false),
        Err(e) => return Err(EngineError::sys("stat", e)),
    };
    let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
    if is_dir && keep_dir {
        return Ok(true);
    }
    if is_dir {
        // std's remove_dir_all never follows symlinks; the /proc path pins the parent fd.
        let p = Path::new("/proc/self/fd")
            .join(dir.as_raw_fd().to_string())
            .join(name);
        std::fs::remove_dir_all(&p).map_err(|e| EngineError::io(p, e))?;
    } else {
        unlinkat(dir, name, UnlinkatFlags::NoRemoveDir)
            .map_err(|e| EngineError::sys("unlink", e))?;
    }
    Ok(false)
}
