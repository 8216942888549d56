//! Writing a directory tree as a tar stream (for `cp` and `export`).

use crate::engine::error::{EngineError, IoContext, Result};
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// How to walk a tree into a tar stream.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Do not descend into directories on another device than the top (`tar
    /// --one-file-system`); used by `export` of a running container, whose volumes and
    /// `/proc` are not part of its filesystem.
    pub one_file_system: bool,
    /// Do not descend into proc, sysfs and cgroup filesystems (a running container's
    /// `/proc` seen through `/proc/<pid>/root`).
    pub skip_virtual: bool,
}

/// Appends `path` (a final symlink is archived as a symlink; pass `<root>/.` for a root
/// that is itself a link, such as `/proc/<pid>/root`) and, for a directory, everything
/// below it, named `name` and `name/...` in the archive. An empty `name` writes only the
/// children, unprefixed.
/// Returns the bytes of file content written.
pub fn append_tree<W: Write>(
    builder: &mut tar::Builder<W>,
    path: &Path,
    name: &Path,
    opts: WalkOptions,
) -> Result<u64> {
    let meta = std::fs::symlink_metadata(path).at(path)?;
    let mut walker = Walker {
        builder,
        opts,
        top_dev: meta.dev(),
        bytes: 0,
    };
    walker.entry(path, name, &meta)?;
    Ok(walker.bytes)
}

struct Walker<'a, W: Write> {
    builder: &'a mut tar::Builder<W>,
    opts: WalkOptions,
    top_dev: u64,
    bytes: u64,
}

impl<W: Write> Walker<'_, W> {
    fn entry(&mut self, path: &Path, name: &Path, meta: &std::fs::Metadata) -> Result<()> {
        let ft = meta.file_type();
        let special = ft.is_char_device() || ft.is_block_device() || ft.is_fifo();
        if !name.as_os_str().is_empty() && special {
            // tar's append_path_with_name fails on these ("paths in archives must be
            // relative"): the header is made here from the metadata.
            let mut h = tar::Header::new_gnu();
            h.set_metadata_in_mode(meta, tar::HeaderMode::Complete);
            h.set_size(0);
            let rdev = meta.rdev();
            if !ft.is_fifo() {
                h.set_device_major(nix::sys::stat::major(rdev) as u32)
                    .and_then(|_| h.set_device_minor(nix::sys::stat::minor(rdev) as u32))
                    .map_err(|e| EngineError::io(path, e))?;
            }
            self.builder
                .append_data(&mut h, name, std::io::empty())
                .map_err(|e| EngineError::io(path, e))?;
        } else if !name.as_os_str().is_empty() {
            self.builder
                .append_path_with_name(path, name)
                .map_err(|e| EngineError::io(path, e))?;
            if meta.is_file() {
                self.bytes += meta.len();
            }
        }
        if !meta.is_dir() || !self.descend(path, meta) {
            return Ok(());
        }
        let mut children: Vec<(std::ffi::OsString, PathBuf)> = std::fs::read_dir(path)
            .at(path)?
            .map(|e| e.map(|e| (e.file_name(), e.path())))
            .collect::<std::io::Result<_>>()
            .at(path)?;
        children.sort();
        for (child_name, child_path) in children {
            // Vanished since the listing (a running container): skip it.
            let Ok(child_meta) = std::fs::symlink_metadata(&child_path) else {
                continue;
            };
            self.entry(&child_path, &name.join(child_name), &child_meta)?;
        }
        Ok(())
    }

    fn descend(&self, path: &Path, meta: &std::fs::Metadata) -> bool {
        if self.opts.one_file_system && meta.dev() != self.top_dev {
            return false;
        }
        if self.opts.skip_virtual {
            use nix::sys::statfs::{
                CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, PROC_SUPER_MAGIC, SYSFS_MAGIC, statfs,
            };
            if let Ok(fs) = statfs(path) {
                let t = fs.filesystem_type();
                return ![
                    PROC_SUPER_MAGIC,
                    SYSFS_MAGIC,
                    CGROUP_SUPER_MAGIC,
                    CGROUP2_SUPER_MAGIC,
                ]
                .contains(&t);
            }
        }
        true
    }
}

/// A tar builder that archives symlinks as symlinks and keeps owners, modes and times.
pub fn builder<W: Write>(out: W) -> tar::Builder<W> {
    let mut b = tar::Builder::new(out);
    b.follow_symlinks(false);
    b.mode(tar::HeaderMode::Complete);
    b
}
