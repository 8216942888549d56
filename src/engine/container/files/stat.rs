//! `stat` of a path inside a container (what the Docker API's archive endpoints report
//! before and with a copy).

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::runtime::inroot::resolve_in_root;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// What a path inside a container is (its final symlink not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStat {
    /// The path's last component (`/` for the root).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The Unix `st_mode` (file type and permission bits).
    pub mode: u32,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    /// Where a symlink points (empty otherwise).
    pub link_target: String,
}

impl Engine {
    /// Stats `path` inside `container`'s filesystem (resolved inside its root).
    pub fn container_path_stat(&self, container: &str, path: &str) -> Result<PathStat> {
        let c = self.container(container)?;
        let name = c.name().to_string();
        self.with_rootfs(&c, move |root| {
            let rel = resolve_in_root(root, Path::new(path), false)?;
            let host = root.join(&rel);
            let meta = std::fs::symlink_metadata(&host).map_err(|_| EngineError::NoSuchPath {
                path: path.to_string(),
                container: name.clone(),
            })?;
            let link_target = if meta.file_type().is_symlink() {
                std::fs::read_link(&host)
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let base = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "/".to_string());
            Ok(PathStat {
                name: base,
                size: meta.size(),
                mode: meta.mode(),
                mtime: meta.mtime(),
                link_target,
            })
        })
    }
}
