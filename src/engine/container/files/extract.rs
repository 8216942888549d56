//! Unpacking a tar stream into a directory without ever writing outside a root.
//!
//! Used for `cp` in both directions: into a container (root = the container's root) and
//! out of one (root = the host directory the user chose). Entry names are cleaned (`..`
//! refused), each entry's parent is resolved by the kernel inside the root (`Root::resolve`), and the last
//! component is never followed: an existing symlink there is replaced, not written through.

use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::runtime::inroot::Root;
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

/// Who owns the extracted files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The uid/gid recorded in the archive (`cp -a`).
    FromArchive,
    /// uid 0, gid 0 (`cp` into a container without `-a`).
    Root,
    /// Whoever runs berth (`cp` out of a container).
    Caller,
}

/// What an extraction did.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Bytes of file content written.
    pub bytes: u64,
    /// Entries left out on the host (device nodes and FIFOs), as the archive names them.
    pub skipped: Vec<PathBuf>,
}

/// Extracts `reader` into `dest`, a container-relative directory under `root` that
/// `resolve_in_root` produced. Onto the host (`Owner::Caller`), setuid and setgid bits are
/// dropped and device nodes and FIFOs are not made (they are listed in `skipped`): a file
/// copied out of a container must not give anyone on the host root's rights or a device.
pub fn extract<R: Read>(root: &Path, dest: &Path, reader: R, owner: Owner) -> Result<Extracted> {
    let host_side = owner == Owner::Caller;
    let in_root = Root::open(root)?;
    let mut archive = tar::Archive::new(reader);
    let mut bytes = 0;
    let mut skipped = Vec::new();
    let mut dir_times = Vec::new();
    let entries = archive.entries().map_err(|e| invalid_archive(&e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| invalid_archive(&e))?;
        let raw = entry.path().map_err(|e| invalid_archive(&e))?.into_owned();
        let Some(rel) = clean(&raw)? else {
            continue; // the archive's root (`./`): dest itself, which exists
        };
        let ctr_path = dest.join(&rel);
        let parent = in_root.resolve(ctr_path.parent().unwrap_or(Path::new("")), true)?;
        let host_parent = root.join(&parent);
        std::fs::create_dir_all(&host_parent).at(&host_parent)?;
        let Some(file_name) = rel.file_name() else {
            continue;
        };
        let host = host_parent.join(file_name);
        let header = entry.header().clone();
        let kind = header.entry_type();
        let special = kind.is_character_special() || kind.is_block_special() || kind.is_fifo();
        if host_side && special {
            skipped.push(rel.clone());
            continue;
        }
        let existing = std::fs::symlink_metadata(&host).ok();
        let existing_dir = existing.as_ref().is_some_and(|m| m.is_dir());
        if existing.is_some() && !(kind.is_dir() && existing_dir) {
            if existing_dir {
                return Err(EngineError::Conflict(format!(
                    "cannot overwrite directory '{}' with a non-directory",
                    ctr_display(&ctr_path)
                )));
            }
            std::fs::remove_file(&host).at(&host)?;
        }
        let mut mode = header.mode().unwrap_or(0o644) & 0o7777;
        if host_side {
            mode &= !0o6000;
        }
        if kind.is_dir() {
            if !existing_dir {
                std::fs::create_dir(&host).at(&host)?;
            }
            dir_times.push((host.clone(), header.mtime().unwrap_or(0)));
        } else if kind.is_file() || kind == tar::EntryType::Continuous {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&host)
                .at(&host)?;
            bytes += std::io::copy(&mut entry, &mut f).at(&host)?;
        } else if kind.is_symlink() {
            let target = link_name(&entry)?;
            std::os::unix::fs::symlink(&target, &host).at(&host)?;
        } else if kind.is_hard_link() {
            let target = link_name(&entry)?;
            let Some(target_rel) = clean(&target)? else {
                return Err(bad_link(&raw));
            };
            let src = in_root.resolve(&dest.join(target_rel), false)?;
            std::fs::hard_link(root.join(&src), &host).at(&host)?;
        } else if special {
            make_node(&host, &header, kind, mode)?;
        } else {
            continue; // sparse files, PAX globals and the like: not produced by berth
        }
        set_owner(&host, &header, owner)?;
        if !kind.is_symlink() {
            std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode)).at(&host)?;
            if !kind.is_dir() {
                set_mtime(&host, header.mtime().unwrap_or(0));
            }
        }
    }
    // Directories last: adding their entries changed their times.
    for (dir, mtime) in dir_times.into_iter().rev() {
        set_mtime(&dir, mtime);
    }
    Ok(Extracted { bytes, skipped })
}

/// The entry's path relative to the destination, or `None` for the destination itself.
/// Absolute names are taken relative to it; `..` is refused.
fn clean(raw: &Path) -> Result<Option<PathBuf>> {
    let mut out = PathBuf::new();
    for c in raw.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::CurDir => {}
            Component::ParentDir | Component::Prefix(_) => {
                return Err(EngineError::Invalid(format!(
                    "archive entry '{}' points outside the destination: refusing to extract it",
                    raw.display()
                )));
            }
        }
    }
    Ok((!out.as_os_str().is_empty()).then_some(out))
}

fn link_name<R: Read>(entry: &tar::Entry<R>) -> Result<PathBuf> {
    let raw = entry.path().map(|p| p.into_owned()).unwrap_or_default();
    entry
        .link_name()
        .map_err(|e| invalid_archive(&e))?
        .map(|l| l.into_owned())
        .ok_or_else(|| bad_link(&raw))
}

fn bad_link(raw: &Path) -> EngineError {
    EngineError::Invalid(format!(
        "archive entry '{}' is a link without a valid target",
        raw.display()
    ))
}

fn invalid_archive(e: &std::io::Error) -> EngineError {
    EngineError::Invalid(format!("invalid tar archive: {e}"))
}

fn ctr_display(p: &Path) -> String {
    format!("/{}", p.display())
}

fn make_node(host: &Path, header: &tar::Header, kind: tar::EntryType, mode: u32) -> Result<()> {
    use nix::sys::stat::{Mode, SFlag, makedev, mknod};
    let flag = if kind.is_character_special() {
        SFlag::S_IFCHR
    } else if kind.is_block_special() {
        SFlag::S_IFBLK
    } else {
        SFlag::S_IFIFO
    };
    let major = header.device_major().ok().flatten().unwrap_or(0);
    let minor = header.device_minor().ok().flatten().unwrap_or(0);
    mknod(
        host,
        flag,
        Mode::from_bits_truncate(mode),
        makedev(major.into(), minor.into()),
    )
    .map_err(|e| EngineError::sys(format!("create device node '{}'", host.display()), e))
}

fn set_owner(host: &Path, header: &tar::Header, owner: Owner) -> Result<()> {
    let (uid, gid) = match owner {
        Owner::Caller => return Ok(()),
        Owner::Root => (0, 0),
        Owner::FromArchive => (
            header.uid().unwrap_or(0) as u32,
            header.gid().unwrap_or(0) as u32,
        ),
    };
    std::os::unix::fs::lchown(host, Some(uid), Some(gid)).at(host)
}

/// Sets access and modification time (best effort: times are cosmetic).
fn set_mtime(host: &Path, mtime: u64) {
    use nix::sys::stat::{UtimensatFlags, utimensat};
    use nix::sys::time::TimeSpec;
    let t = TimeSpec::new(mtime as i64, 0);
    let _ = utimensat(
        nix::fcntl::AT_FDCWD,
        host,
        &t,
        &t,
        UtimensatFlags::NoFollowSymlink,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_cleaned() {
        assert_eq!(
            clean(Path::new("./a/b")).expect("ok"),
            Some(PathBuf::from("a/b"))
        );
        assert_eq!(
            clean(Path::new("/etc/x")).expect("ok"),
            Some(PathBuf::from("etc/x"))
        );
        assert_eq!(clean(Path::new("./")).expect("ok"), None);
        assert!(clean(Path::new("a/../../etc")).is_err());
    }

    #[test]
    fn extraction_never_writes_through_a_symlink() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path(), root.path().join("link")).expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("f"), root.path().join("f"))
            .expect("symlink");
        let mut b = tar::Builder::new(Vec::new());
        for name in ["link/escaped", "f"] {
            let mut h = tar::Header::new_gnu();
            h.set_size(2);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            b.append_data(&mut h, name, &b"hi"[..]).expect("append");
        }
        let data = b.into_inner().expect("tar");
        extract(root.path(), Path::new(""), &data[..], Owner::Caller).expect("extract");
        // `link` points at the host directory by an absolute path: clamped to the root.
        let escaped = root
            .path()
            .join(outside.path().strip_prefix("/").expect("abs"))
            .join("escaped");
        assert_eq!(std::fs::read(escaped).expect("inside root"), b"hi");
        // `f` was a symlink: replaced by the file, the target untouched.
        assert!(
            std::fs::symlink_metadata(root.path().join("f"))
                .expect("f")
                .is_file()
        );
        assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
    }
}
