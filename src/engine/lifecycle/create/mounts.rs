//! The mounts of a new container: the user's checked, the image's VOLUMEs added as
//! anonymous volumes, and the volumes made (or found) before the record is written.

use super::CreateOptions;
use super::kernel_fs::mount_over_kernel_fs;
use crate::engine::Engine;
use crate::engine::container::{MountKind, MountSpec};
use crate::engine::error::{EngineError, Result};
use crate::engine::store::FileLock;
use oci_spec::image::Config;
use std::path::PathBuf;

/// A volume this create made: it is new, so the image's content at its destination is
/// copied into it (as Docker does on a volume's first use).
pub(super) struct NewVolume {
    /// Where it is mounted in the container.
    pub destination: String,
    /// Its data directory.
    pub data: PathBuf,
}

/// The user's mounts, checked, plus an anonymous volume for every VOLUME of the image
/// that the user did not mount something on.
pub(super) fn plan(img: &Config, opts: &CreateOptions) -> Result<Vec<MountSpec>> {
    let mut mounts = opts.mounts.clone();
    for m in &mounts {
        if let Some(why) = mount_over_kernel_fs(&m.destination, false) {
            return Err(EngineError::Invalid(format!(
                "invalid mount destination '{}': {why}",
                m.destination
            )));
        }
    }
    for dest in img.volumes().iter().flatten() {
        if let Some(why) = mount_over_kernel_fs(dest, true) {
            return Err(EngineError::Invalid(format!(
                "image '{}' declares VOLUME {dest}: {why}",
                opts.image
            )));
        }
        if !mounts.iter().any(|m| &m.destination == dest) {
            mounts.push(MountSpec {
                kind: MountKind::Volume,
                source: String::new(),
                destination: dest.clone(),
                read_only: false,
                options: String::new(),
            });
        }
    }
    Ok(mounts)
}

impl Engine {
    /// Makes (or finds) the volume of every volume mount, naming the anonymous ones; the
    /// returned lock (held until the container's record exists) keeps `volume rm` from
    /// removing one of them before the container that uses it is recorded.
    pub(super) fn make_volumes(
        &self,
        mounts: &mut [MountSpec],
    ) -> Result<(Option<FileLock>, Vec<NewVolume>)> {
        if !mounts.iter().any(|m| m.kind == MountKind::Volume) {
            return Ok((None, Vec::new()));
        }
        let lock = self.volumes_lock()?;
        let mut made = Vec::new();
        for m in mounts.iter_mut().filter(|m| m.kind == MountKind::Volume) {
            let (name, data, new) = self.volume_for_mount_locked(&m.source)?;
            m.source = name;
            if new {
                made.push(NewVolume {
                    destination: m.destination.clone(),
                    data,
                });
            }
        }
        Ok((Some(lock), made))
    }
}
