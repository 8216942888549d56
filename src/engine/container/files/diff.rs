//! `diff`: what a container changed, computed from its read-write layer (`rw/upper`) alone.
//!
//! Overlay records deletions as whiteouts (a character device 0/0) and a directory that
//! was removed and made again as an opaque directory (xattr `trusted.overlay.opaque=y`).
//! A file in the upper layer that exists in a lower layer is changed (`C`), otherwise
//! added (`A`); the parent directory of an addition or deletion is shown as changed. An
//! opaque directory is shown as changed (Docker says `D` although it exists) and what
//! it holds as added, since it hides everything below it.

use crate::engine::Engine;
use crate::engine::error::{IoContext, Result};
use std::collections::HashSet;
use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// What happened to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `C`: changed (Docker's kind 0).
    Modified,
    /// `A`: added (kind 1).
    Added,
    /// `D`: deleted (kind 2).
    Deleted,
}

impl ChangeKind {
    /// The letter `docker diff` prints.
    pub fn letter(&self) -> char {
        match self {
            ChangeKind::Modified => 'C',
            ChangeKind::Added => 'A',
            ChangeKind::Deleted => 'D',
        }
    }
    /// Docker's numeric kind in the API.
    pub fn code(&self) -> u8 {
        match self {
            ChangeKind::Modified => 0,
            ChangeKind::Added => 1,
            ChangeKind::Deleted => 2,
        }
    }
}

/// One changed path, absolute inside the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// The path, e.g. `/etc/hosts`.
    pub path: PathBuf,
    /// Bytes of a regular file's new content in the read-write layer (0 for
    /// directories, links, deletions).
    pub size: u64,
}

impl Engine {
    /// The changes a container made to its image's filesystem, sorted by path.
    pub fn container_diff(&self, name_or_id: &str) -> Result<Vec<Change>> {
        let c = self.container(name_or_id)?;
        let upper = self.paths().container(c.id()).join("rw").join("upper");
        let lowers: Vec<PathBuf> =
            crate::engine::image::links::visible(self.paths(), &c.config.layers)
                .iter()
                .rev()
                .map(|l| self.layer_dir(l))
                .collect();
        let mut walk = DiffWalk {
            upper: &upper,
            lowers: &lowers,
            changed_dirs: HashSet::new(),
            out: Vec::new(),
        };
        if upper.is_dir() {
            walk.dir(Path::new(""), false)?;
        }
        let mut out = walk.out;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.dedup_by(|a, b| a.path == b.path);
        Ok(out)
    }
}

struct DiffWalk<'a> {
    upper: &'a Path,
    /// Lower layers, top first.
    lowers: &'a [PathBuf],
    changed_dirs: HashSet<PathBuf>,
    out: Vec<Change>,
}

impl DiffWalk<'_> {
    /// Walks `rel` (a directory of the upper layer); `hidden` when an opaque directory
    /// above it hides the lower layers.
    fn dir(&mut self, rel: &Path, hidden: bool) -> Result<()> {
        let host = self.upper.join(rel);
        let mut names: Vec<_> = std::fs::read_dir(&host)
            .at(&host)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<std::io::Result<_>>()
            .at(&host)?;
        names.sort();
        for name in names {
            let rel = rel.join(name);
            let path = self.upper.join(&rel);
            let meta = std::fs::symlink_metadata(&path).at(&path)?;
            let ctr = Path::new("/").join(&rel);
            let opaque = meta.is_dir() && is_opaque(&path);
            let kind = if is_whiteout(&meta) {
                Some(ChangeKind::Deleted)
            } else if opaque {
                Some(ChangeKind::Modified)
            } else {
                match (!hidden).then(|| self.lower(&rel)).flatten() {
                    None => Some(ChangeKind::Added),
                    // A directory only copied up because something below it changed.
                    Some(low) if low.is_dir() && meta.is_dir() && same_dir(&low, &meta) => None,
                    Some(_) => Some(ChangeKind::Modified),
                }
            };
            if let Some(kind) = kind {
                if meta.is_dir() {
                    self.changed_dirs.insert(ctr.clone());
                }
                if kind != ChangeKind::Modified {
                    self.mark_parent(&ctr);
                }
                let size = match kind {
                    ChangeKind::Deleted => 0,
                    _ if meta.is_file() => meta.len(),
                    _ => 0,
                };
                self.out.push(Change {
                    kind,
                    path: ctr,
                    size,
                });
            }
            if meta.is_dir() {
                self.dir(&rel, hidden || opaque)?;
            }
        }
        Ok(())
    }

    fn mark_parent(&mut self, ctr: &Path) {
        if let Some(parent) = ctr.parent().filter(|p| *p != Path::new("/"))
            && self.changed_dirs.insert(parent.to_path_buf())
        {
            self.out.push(Change {
                kind: ChangeKind::Modified,
                path: parent.to_path_buf(),
                size: 0,
            });
        }
    }

    /// The entry at `rel` in the lower layers as the overlay would show it, if any.
    fn lower(&self, rel: &Path) -> Option<Metadata> {
        for layer in self.lowers {
            match lookup(layer, rel) {
                Lookup::Found(m) => return Some(m),
                Lookup::Hidden => return None,
                Lookup::Missing => {}
            }
        }
        None
    }
}

enum Lookup {
    Found(Metadata),
    /// Deleted or hidden by this layer: lower layers do not count.
    Hidden,
    /// Not in this layer: look in the next one down.
    Missing,
}

/// Looks `rel` up in one layer without following any symlink (a layer's symlinks point
/// into the container, not into the host).
fn lookup(layer: &Path, rel: &Path) -> Lookup {
    let mut cur = layer.to_path_buf();
    let mut opaque_above = false;
    let count = rel.components().count();
    for (i, c) in rel.components().enumerate() {
        cur.push(c);
        let Ok(meta) = std::fs::symlink_metadata(&cur) else {
            return if opaque_above {
                Lookup::Hidden
            } else {
                Lookup::Missing
            };
        };
        if is_whiteout(&meta) {
            return Lookup::Hidden;
        }
        if i + 1 == count {
            return Lookup::Found(meta);
        }
        if !meta.is_dir() {
            return Lookup::Hidden;
        }
        opaque_above |= is_opaque(&cur);
    }
    Lookup::Missing
}

/// Overlay's whiteout: a character device with device number 0/0.
pub fn is_whiteout(meta: &Metadata) -> bool {
    meta.file_type().is_char_device() && meta.rdev() == 0
}

/// Whether a directory carries overlay's opaque marker.
pub fn is_opaque(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut value = [0u8; 2];
    for name in [c"trusted.overlay.opaque", c"user.overlay.opaque"] {
        // SAFETY: both strings are NUL-terminated and `value` is a valid buffer of the
        // length passed; lgetxattr does not follow symlinks.
        let n = unsafe {
            libc::lgetxattr(
                c_path.as_ptr(),
                name.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            )
        };
        if n == 1 && value[0] == b'y' {
            return true;
        }
    }
    false
}

/// Docker's test for a directory that did not really change: same size, mode and mtime.
fn same_dir(a: &Metadata, b: &Metadata) -> bool {
    a.size() == b.size()
        && a.mode() == b.mode()
        && a.mtime() == b.mtime()
        && a.mtime_nsec() == b.mtime_nsec()
}
