//! Safe layer unpacking: a tar stream becomes a directory usable as an overlay lower dir.
//!
//! Nothing may land outside the destination: entry paths are cleaned lexically (a leading `/`
//! is stripped as Docker does, `..` that climbs above the root is rejected), every parent
//! directory is opened component by component with `O_NOFOLLOW` so a symlink planted by an
//! earlier entry is never followed, and files are created with `*at` calls relative to those
//! directory descriptors. Hardlink targets are resolved the same way, inside the layer.
//!
//! OCI whiteouts become overlayfs ones: `.wh.NAME` is a character device 0/0 named `NAME`,
//! `.wh..wh..opq` sets `trusted.overlay.opaque=y` on its directory. Device nodes other than
//! whiteouts are skipped: a layer has no business shipping them, and `/dev` is mounted fresh
//! in every container (Docker drops them too when it cannot create them).

use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use nix::fcntl::AtFlags;
use nix::fcntl::{OFlag, openat};
use nix::sys::stat::{
    FchmodatFlags, Mode, SFlag, UtimensatFlags, fchmod, fchmodat, fstatat, futimens, mkdirat,
    mknodat, utimensat,
};
use nix::sys::time::TimeSpec;
use nix::unistd::{
    Gid, Uid, UnlinkatFlags, fchown, fchownat, linkat, mkfifoat, symlinkat, unlinkat,
};
use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
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
            Err(e) => return Err(with_entry(e, &shown)),
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

fn with_entry(e: EngineError, shown: &str) -> EngineError {
    match e {
        EngineError::Invalid(m) => EngineError::Invalid(m),
        other => invalid(format!("entry '{shown}': {other}")),
    }
}

/// Opens the directory `comps` below `root` without following symlinks, creating missing
/// directories (mode 0755) when `create`.
fn walk(root: BorrowedFd<'_>, comps: &[OsString], create: bool) -> Result<OwnedFd> {
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
fn clear(dir: BorrowedFd<'_>, name: &OsStr, keep_dir: bool) -> Result<bool> {
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

/// Unpacks one entry. Returns the mtime to apply later when the entry is a directory.
fn unpack_entry<R: Read>(
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
        EntryType::Regular | EntryType::Continuous => {
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
            let n = io::copy(entry, &mut file).map_err(|e| invalid(e.to_string()))?;
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

/// Turns `.wh.<target>` into an overlay whiteout, `.wh..wh..opq` into an opaque directory.
fn whiteout(parent: BorrowedFd<'_>, target: &[u8]) -> Result<()> {
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
fn xattrs_of<R: Read>(entry: &mut tar::Entry<'_, R>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let Some(exts) = entry.pax_extensions().map_err(|e| invalid(e.to_string()))? else {
        return Ok(out);
    };
    for ext in exts {
        let ext = ext.map_err(|e| invalid(e.to_string()))?;
        let Ok(key) = ext.key() else { continue };
        if let Some(name) = key.strip_prefix("SCHILY.xattr.")
            && !name.starts_with("trusted.")
        {
            out.push((name.to_string(), ext.value_bytes().to_vec()));
        }
    }
    Ok(out)
}

fn set_xattrs(fd: BorrowedFd<'_>, xattrs: &[(String, Vec<u8>)]) -> Result<()> {
    for (k, v) in xattrs {
        set_xattr(fd, k, v)?;
    }
    Ok(())
}

fn set_xattr(fd: BorrowedFd<'_>, key: &str, value: &[u8]) -> Result<()> {
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
        return Err(EngineError::sys(
            format!("set xattr '{key}'"),
            Errno::last(),
        ));
    }
    Ok(())
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
