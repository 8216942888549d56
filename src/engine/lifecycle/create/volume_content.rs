//! Docker's copy of an image's content into a new volume: what the image holds at the
//! volume's destination (`VOLUME /data` over a `/data` with files) is copied into the
//! volume when the volume is first used, with owners, modes and times. Paths are resolved
//! inside the image's root and symlinks are copied as symlinks, never followed, so an
//! image cannot make berth copy host files.

use super::mounts::NewVolume;
use crate::engine::Engine;
use crate::engine::container::Container;
use crate::engine::container::files::archive::{self, WalkOptions};
use crate::engine::container::files::copy::pipe_through;
use crate::engine::container::files::extract::{Owner, extract};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::lifecycle::LifecycleError;
use crate::engine::runtime::inroot::resolve_in_root;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

impl Engine {
    /// Copies the image's content into each volume `create` just made for `c`. On failure
    /// the container and those volumes are removed again: nothing is left half-made.
    pub(super) fn fill_new_volumes(&self, c: &Container, volumes: &[NewVolume]) -> Result<()> {
        if volumes.is_empty() {
            return Ok(());
        }
        let filled = self.with_rootfs(c, |root| {
            volumes
                .iter()
                .try_for_each(|v| copy_image_dir(root, &v.destination, &v.data))
        });
        if let Err(e) = filled {
            crate::engine::lifecycle::remove::delete_files(self, &c.config);
            for v in volumes {
                if let Some(name) = v.data.parent().and_then(|p| p.file_name()) {
                    let _ = self.remove_volume(&name.to_string_lossy(), true);
                }
            }
            return Err(LifecycleError::VolumeContent(Box::new(e)).into());
        }
        Ok(())
    }
}

/// Copies what `root` holds at `destination` (resolved inside `root`) into the empty
/// directory `data`; nothing when the image has no directory there.
fn copy_image_dir(root: &Path, destination: &str, data: &Path) -> Result<()> {
    let rel = resolve_in_root(root, Path::new(destination), true)?;
    let src = root.join(&rel);
    let Ok(meta) = std::fs::symlink_metadata(&src) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Ok(());
    }
    let opts = WalkOptions {
        one_file_system: true,
        skip_virtual: true,
    };
    pipe_through(
        |out| {
            let mut b = archive::builder(out);
            let n = archive::append_tree(&mut b, &src, Path::new(""), opts)?;
            b.finish().map_err(|e| EngineError::io(&src, e))?;
            Ok(n)
        },
        |r| extract(data, Path::new(""), r, Owner::FromArchive),
    )?;
    // The volume's top directory takes the owner and mode of the image's, as in Docker.
    std::os::unix::fs::lchown(data, Some(meta.uid()), Some(meta.gid())).at(data)?;
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(meta.mode() & 0o7777)).at(data)
}
