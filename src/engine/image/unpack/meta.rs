//! Whiteouts and extended attributes.

use super::dirs::clear;
use super::{OPAQUE_MARKER, WHITEOUT_PREFIX, invalid};
use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use nix::sys::stat::{Mode, SFlag, mknodat};
use std::ffi::{CString, OsStr};
use std::io::Read;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

/// Turns `.wh.<target>` into an overlay whiteout, `.wh..wh..opq` into an opaque directory.
pub(super) fn whiteout(parent: BorrowedFd<'_>, target: &[u8]) -> Result<()> {
    if target == &OPAQUE_MARKER.as_bytes()[WHITEOUT_PREFIX.len()..] {
        return set_xattr(parent, "trusted.overlay.opaque", b"y");
    }
    if target.starts_with(WHITEOUT_PREFIX.as_bytes()) {
        // Other `.wh..wh.*` entries are aufs bookkeeping (`.wh..wh.plnk`): nothing to do.
        return Ok(());
    }
    if target.is_empty() || target == b"." || target == b".." {
        return Err(invalid(format!(
            "whiteout of '{}' is not allowed",
            String::from_utf8_lossy(target)
        )));
    }
    let name = OsStr::from_bytes(target);
    clear(parent, name, false)?;
    mknodat(
        parent,
        name,
        SFlag::S_IFCHR,
        Mode::empty(),
        libc::makedev(0, 0),
    )
    .map_err(|e| EngineError::sys("create whiteout", e))
}

/// The extended attributes of an entry (PAX `SCHILY.xattr.*`), minus `trusted.*`: only
/// berth sets overlay's trusted attributes, an image must not smuggle its own.
pub(super) fn xattrs_of<R: Read>(entry: &mut tar::Entry<'_, R>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let shown = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    let Some(exts) = entry.pax_extensions().map_err(|e| invalid(e.to_string()))? else {
        return Ok(out);
    };
    for ext in exts {
        let ext = ext.map_err(|e| invalid(e.to_string()))?;
        let Ok(key) = ext.key() else { continue };
        if key.starts_with("GNU.sparse.") {
            // The PAX sparse formats (0.x, 1.0) keep the real name and map in records the
            // tar crate does not read: unpacked as is, the file would be silently wrong.
            return Err(invalid(format!(
                "'{shown}' is a sparse file in the PAX format ({key}), which berth cannot unpack"
            )));
        }
        if let Some(name) = key.strip_prefix("SCHILY.xattr.")
            && !name.starts_with("trusted.")
        {
            out.push((name.to_string(), ext.value_bytes().to_vec()));
        }
    }
    Ok(out)
}

pub(super) fn set_xattrs(fd: BorrowedFd<'_>, xattrs: &[(String, Vec<u8>)]) -> Result<()> {
    for (k, v) in xattrs {
        set_xattr(fd, k, v)?;
    }
    Ok(())
}

pub(super) fn set_xattr(fd: BorrowedFd<'_>, key: &str, value: &[u8]) -> Result<()> {
    let k = CString::new(key).map_err(|_| invalid(format!("bad xattr name '{key}'")))?;
    // SAFETY: fd is a valid open descriptor, k is NUL-terminated, value is a valid slice.
    let rc = unsafe {
        libc::fsetxattr(
            fd.as_raw_fd(),
            k.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    if rc != 0 {
        let e = Errno::last();
        // ext4 answers ENOSPC for a value larger than its xattr space, not only on a full
        // disk: tell the two apart by the room left.
        let room = nix::sys::statvfs::fstatvfs(fd)
            .map(|s| s.blocks_available().saturating_mul(s.fragment_size()))
            .unwrap_or(0);
        let too_large = matches!(e, Errno::E2BIG | Errno::ERANGE)
            || (e == Errno::ENOSPC && room > value.len() as u64 + 1024 * 1024);
        if too_large {
            return Err(invalid(format!(
                "extended attribute '{key}' of {} bytes is too large for the filesystem of the layer store",
                value.len()
            )));
        }
        return Err(EngineError::sys(format!("set xattr '{key}'"), e));
    }
    Ok(())
}
