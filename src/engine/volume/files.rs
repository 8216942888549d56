//! Filling a volume with given files (a Kubernetes ConfigMap mounted as a volume): the
//! volume's content is replaced whole.

use super::error::VolumeError;
use crate::engine::Engine;
use crate::engine::error::{IoContext, Result};
use std::path::{Component, Path};

impl Engine {
    /// Replaces the content of volume `name` with `files` (relative path, content). A path
    /// that is absolute or has `..` is refused before anything is written; nothing in the
    /// volume (a link a container made) is followed.
    pub fn write_volume_files(&self, name: &str, files: &[(String, Vec<u8>)]) -> Result<()> {
        for (path, _) in files {
            let ok = !path.is_empty()
                && Path::new(path)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
            if !ok {
                return Err(VolumeError::FilePath {
                    volume: name.to_string(),
                    path: path.clone(),
                }
                .into());
            }
        }
        let data = self.volume(name)?.mountpoint;
        for entry in std::fs::read_dir(&data).at(&data)? {
            let path = entry.at(&data)?.path();
            let removed = match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
            removed.at(&path)?;
        }
        for (rel, content) in files {
            let target = data.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).at(parent)?;
            }
            std::fs::write(&target, content).at(&target)?;
        }
        Ok(())
    }
}
