//! Every volume with its size and the containers using it, read in one pass over the
//! container records: what the dashboard's Volumes pane shows.

use super::model::Volume;
use super::size::dir_size;
use crate::engine::container::MountKind;
use crate::engine::{Engine, Result};

/// A volume, its size and its users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeOverview {
    /// The volume.
    pub volume: Volume,
    /// Bytes of data under its mountpoint.
    pub size: u64,
    /// Names of the containers (any state) that mount it.
    pub users: Vec<String>,
}

impl Engine {
    /// Every volume, sorted by name, with its size and the containers that mount it.
    pub fn volumes_overview(&self) -> Result<Vec<VolumeOverview>> {
        let containers = self.containers()?;
        Ok(self
            .volumes()?
            .into_iter()
            .map(|volume| {
                let users = containers
                    .iter()
                    .filter(|c| {
                        c.config
                            .mounts
                            .iter()
                            .any(|m| m.kind == MountKind::Volume && m.source == volume.name())
                    })
                    .map(|c| c.name().to_string())
                    .collect();
                let size = dir_size(&volume.mountpoint);
                VolumeOverview {
                    volume,
                    size,
                    users,
                }
            })
            .collect())
    }
}
