//! Safe layer unpacking: a tar stream becomes a directory usable as an overlay lower dir.
//!
//! Nothing may land outside the destination: entry paths are cleaned lexically (a leading `/`
//! is stripped as Docker does, `..` that climbs above the root is rejected), every parent
//! directory is opened component by component with `O_NOFOLLOW` so a symlink planted by an
//! earlier entry is never followed (`dirs.rs`), and files are created with `*at` calls
//! relative to those directory descriptors (`entry.rs`). Hardlink targets are resolved the
//! same way, inside the layer.
//!
//! OCI whiteouts become overlayfs ones (`meta.rs`): `.wh.NAME` is a character device 0/0
//! named `NAME`, `.wh..wh..opq` sets `trusted.overlay.opaque=y` on its directory; at the
//! layer's root, where overlayfs ignores it, it is reported instead ([`Unpacked::root_opaque`])
//! and the layers below are dropped from the stack. GNU sparse files are written sparse.
//! Device nodes other than whiteouts are skipped: a layer has no business shipping them, and
//! `/dev` is mounted fresh in every container (Docker drops them too when it cannot create
//! them).

mod dirs;
mod entry;
mod file;
mod meta;

use crate::engine::error::{EngineError, Result};
use crate::engine::image::ImageError;
use crate::engine::store::StoreError;
use dirs::walk;
use entry::unpack_entry;
use nix::errno::Errno;
use nix::sys::stat::futimens;
use nix::sys::time::TimeSpec;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use tar::EntryType;

/// The whiteout prefix of the OCI layer format.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// The opaque-directory marker.
pub const OPAQUE_MARKER: &str = ".wh..wh..opq";

fn invalid(msg: String) -> EngineError {
    EngineError::Invalid(format!("invalid layer: {msg}"))
}

/// Cleans a tar entry path into components below the layer root: strips leading `/`, drops
/// `.`, resolves `..` lexically and rejects any that would climb above the root.
pub fn clean_path(raw: &[u8]) -> Result<Vec<OsString>> {
    let mut out: Vec<OsString> = Vec::new();
    for comp in raw.split(|b| *b == b'/') {
        match comp {
            b"" | b"." => {}
            b".." => {
                if out.pop().is_none() {
                    return Err(invalid(format!(
                        "'{}' points outside the layer",
                        String::from_utf8_lossy(raw)
                    )));
                }
            }
            c => out.push(OsStr::from_bytes(c).to_os_string()),
        }
    }
    Ok(out)
}

/// What `unpack` found.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unpacked {
    /// Sum of the sizes of the regular files (Docker's layer size).
    pub size: u64,
    /// The layer has an opaque marker at its root: every layer below it is hidden.
    pub root_opaque: bool,
}

/// Unpacks the (uncompressed) tar stream `reader` into the existing directory `dest`.
pub fn unpack(reader: impl Read, dest: &Path) -> Result<Unpacked> {
    let root: OwnedFd = File::open(dest)
        .map_err(|e| EngineError::io(dest, e))?
        .into();
    let mut archive = tar::Archive::new(reader);
    let mut stats = Unpacked::default();
    let mut dir_times: Vec<(Vec<OsString>, i64)> = Vec::new();
    let entries = archive.entries().map_err(|e| invalid(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| invalid(e.to_string()))?;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            EntryType::XGlobalHeader
                | EntryType::XHeader
                | EntryType::GNULongName
                | EntryType::GNULongLink
        ) {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let comps = clean_path(&raw)?;
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let result = unpack_entry(root.as_fd(), &comps, &mut entry, &mut stats);
        match result {
            Ok(Some(mtime)) => dir_times.push((comps, mtime)),
            Ok(None) => {}
            Err(e) => return Err(with_entry(e, &shown, dest)),
        }
    }
    // Directory times last: creating their children changed them.
    for (comps, mtime) in dir_times.iter().rev() {
        let dir = if comps.is_empty() {
            root.try_clone().map_err(|e| EngineError::io(dest, e))?
        } else {
            walk(root.as_fd(), comps, false)?
        };
        let t = TimeSpec::new(*mtime, 0);
        futimens(&dir, &t, &t).map_err(|e| EngineError::sys("set directory time", e))?;
    }
    Ok(stats)
}

fn with_entry(e: EngineError, shown: &str, dest: &Path) -> EngineError {
    match e {
        EngineError::Invalid(m) => EngineError::Invalid(m),
        e if is_disk_full(&e) => ImageError::DiskFull {
            dest: dest.to_path_buf(),
            entry: shown.to_string(),
        }
        .into(),
        other => invalid(format!("entry '{shown}': {other}")),
    }
}

/// Whether `e` is the disk (or the quota) being full.
pub fn is_disk_full(e: &EngineError) -> bool {
    let errno = match e {
        EngineError::Io { source, .. } => source.raw_os_error().map(Errno::from_raw),
        EngineError::Sys { source, .. } => Some(*source),
        EngineError::Store(StoreError::Io { source, .. }) => {
            source.raw_os_error().map(Errno::from_raw)
        }
        _ => None,
    };
    matches!(errno, Some(Errno::ENOSPC) | Some(Errno::EDQUOT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps(s: &str) -> Vec<String> {
        clean_path(s.as_bytes())
            .expect("clean")
            .into_iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn paths_are_cleaned_like_docker() {
        assert_eq!(comps("/etc/x"), ["etc", "x"]);
        assert_eq!(comps("./a/./b/"), ["a", "b"]);
        assert_eq!(comps("a/../b"), ["b"]);
        assert!(comps("./").is_empty());
        assert!(clean_path(b"../escape").is_err());
        assert!(clean_path(b"a/../../escape").is_err());
        assert!(clean_path(b"/../etc").is_err());
    }
}
