//! One tar entry of a layer, made on disk by type.

use super::dirs::{clear, walk};
use super::file::copy_contents;
use super::meta::{set_xattrs, whiteout, xattrs_of};
use super::{OPAQUE_MARKER, Unpacked, WHITEOUT_PREFIX, clean_path, invalid};
use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{
    FchmodatFlags, Mode, UtimensatFlags, fchmod, fchmodat, futimens, mkdirat, utimensat,
};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown, fchownat, linkat, mkfifoat, symlinkat};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use tar::EntryType;

/// Unpacks one entry. Returns the mtime to apply later when the entry is a directory.
pub(super) fn unpack_entry<R: Read>(
    root: BorrowedFd<'_>,
    comps: &[OsString],
    entry: &mut tar::Entry<'_, R>,
    stats: &mut Unpacked,
) -> Result<Option<i64>> {
    let header = entry.header().clone();
    let kind = header.entry_type();
    let mode = header.mode().map_err(|e| invalid(e.to_string()))? & 0o7777;
    let uid = header.uid().map_err(|e| invalid(e.to_string()))? as u32;
    let gid = header.gid().map_err(|e| invalid(e.to_string()))? as u32;
    let mtime = header.mtime().unwrap_or(0) as i64;
    let Some((name, parents)) = comps.split_last() else {
        // The root itself (`./`): take its metadata.
        if kind.is_dir() {
            let dir = walk(root, &[], false)?;
            fchown(&dir, Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid)))
                .map_err(|e| EngineError::sys("chown", e))?;
            fchmod(&dir, Mode::from_bits_truncate(mode))
                .map_err(|e| EngineError::sys("chmod", e))?;
            return Ok(Some(mtime));
        }
        return Ok(None);
    };
    let name_bytes = name.as_bytes();
    if let Some(target) = name_bytes.strip_prefix(WHITEOUT_PREFIX.as_bytes()) {
        if parents.is_empty() && name_bytes == OPAQUE_MARKER.as_bytes() {
            // overlayfs ignores opaque on a layer's root: the stack drops the layers below.
            stats.root_opaque = true;
            return Ok(None);
        }
        let parent = walk(root, parents, true)?;
        return whiteout(parent.as_fd(), target).map(|()| None);
    }
    let xattrs = xattrs_of(entry)?;
    let parent = walk(root, parents, true)?;
    let p = parent.as_fd();
    let owner = (Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid)));
    let times = TimeSpec::new(mtime, 0);
    match kind {
        EntryType::Directory => {
            if !clear(p, name, true)? {
                mkdirat(p, name.as_os_str(), Mode::from_bits_truncate(0o700))
                    .map_err(|e| EngineError::sys("create directory", e))?;
            }
            let dir = walk(p, std::slice::from_ref(name), false)?;
            fchown(&dir, owner.0, owner.1).map_err(|e| EngineError::sys("chown", e))?;
            fchmod(&dir, Mode::from_bits_truncate(mode))
                .map_err(|e| EngineError::sys("chmod", e))?;
            set_xattrs(dir.as_fd(), &xattrs)?;
            Ok(Some(mtime))
        }
        EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => {
            clear(p, name, false)?;
            let fd = openat(
                p,
                name.as_os_str(),
                OFlag::O_CREAT
                    | OFlag::O_EXCL
                    | OFlag::O_WRONLY
                    | OFlag::O_NOFOLLOW
                    | OFlag::O_CLOEXEC,
                Mode::from_bits_truncate(0o600),
            )
            .map_err(|e| EngineError::sys("create file", e))?;
            let mut file = File::from(fd);
            let n = copy_contents(entry, &mut file, kind == EntryType::GNUSparse)?;
            stats.size += n;
            fchown(&file, owner.0, owner.1).map_err(|e| EngineError::sys("chown", e))?;
            // After chown, which clears set-id bits.
            fchmod(&file, Mode::from_bits_truncate(mode))
                .map_err(|e| EngineError::sys("chmod", e))?;
            set_xattrs(file.as_fd(), &xattrs)?;
            futimens(&file, &times, &times).map_err(|e| EngineError::sys("set file time", e))?;
            Ok(None)
        }
        EntryType::Symlink => {
            let target = entry
                .link_name_bytes()
                .ok_or_else(|| invalid("symlink without a target".into()))?
                .into_owned();
            clear(p, name, false)?;
            // The target is stored as is: it is only ever resolved inside the container.
            symlinkat(OsStr::from_bytes(&target), p, name.as_os_str())
                .map_err(|e| EngineError::sys("create symlink", e))?;
            fchownat(
                p,
                name.as_os_str(),
                owner.0,
                owner.1,
                AtFlags::AT_SYMLINK_NOFOLLOW,
            )
            .map_err(|e| EngineError::sys("chown symlink", e))?;
            utimensat(
                p,
                name.as_os_str(),
                &times,
                &times,
                UtimensatFlags::NoFollowSymlink,
            )
            .map_err(|e| EngineError::sys("set symlink time", e))?;
            Ok(None)
        }
        EntryType::Link => {
            let target = entry
                .link_name_bytes()
                .ok_or_else(|| invalid("hardlink without a target".into()))?
                .into_owned();
            let tcomps = clean_path(&target)?;
            let Some((tname, tparents)) = tcomps.split_last() else {
                return Err(invalid("hardlink to the layer root".into()));
            };
            let tdir = walk(root, tparents, false)?;
            clear(p, name, false)?;
            // linkat without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
            linkat(
                tdir.as_fd(),
                tname.as_os_str(),
                p,
                name.as_os_str(),
                AtFlags::empty(),
            )
            .map_err(|e| match e {
                Errno::ENOENT => invalid(format!(
                    "hardlink target '{}' is not in the layer",
                    String::from_utf8_lossy(&target)
                )),
                e => EngineError::sys("create hardlink", e),
            })?;
            Ok(None)
        }
        EntryType::Fifo => {
            clear(p, name, false)?;
            mkfifoat(p, name.as_os_str(), Mode::from_bits_truncate(0o600))
                .map_err(|e| EngineError::sys("create fifo", e))?;
            fchownat(
                p,
                name.as_os_str(),
                owner.0,
                owner.1,
                AtFlags::AT_SYMLINK_NOFOLLOW,
            )
            .map_err(|e| EngineError::sys("chown fifo", e))?;
            fchmodat(
                p,
                name.as_os_str(),
                Mode::from_bits_truncate(mode),
                FchmodatFlags::NoFollowSymlink,
            )
            .or_else(|e| match e {
                // Older kernels lack fchmodat2; the fifo was just created by us, not a symlink.
                Errno::EOPNOTSUPP | Errno::ENOSYS => fchmodat(
                    p,
                    name.as_os_str(),
                    Mode::from_bits_truncate(mode),
                    FchmodatFlags::FollowSymlink,
                ),
                e => Err(e),
            })
            .map_err(|e| EngineError::sys("chmod fifo", e))?;
            Ok(None)
        }
        // Device nodes are skipped on purpose (see the module doc); so are unknown types.
        _ => Ok(None),
    }
}
