//! `volume prune`: removes volumes no container uses.

use crate::engine::Engine;
use crate::engine::container::MountKind;
use crate::engine::error::Result;
use std::collections::HashSet;

/// What a prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// Names (or ids) of what was removed, in order.
    pub deleted: Vec<String>,
    /// Bytes freed.
    pub reclaimed: u64,
    /// What could not be removed, with the reason.
    pub failed: Vec<(String, String)>,
}

impl Engine {
    /// Removes unused volumes: only anonymous ones unless `all` (Docker 23+).
    pub fn prune_volumes(&self, all: bool) -> Result<PruneReport> {
        let _lock = self.volumes_lock()?;
        let used: HashSet<String> = self
            .containers()?
            .into_iter()
            .flat_map(|c| c.config.mounts)
            .filter(|m| m.kind == MountKind::Volume)
            .map(|m| m.source)
            .collect();
        let mut report = PruneReport::default();
        for v in self.volumes()? {
            if used.contains(v.name()) || !(all || v.is_anonymous()) {
                continue;
            }
            match self.remove_volume_locked(v.name(), true) {
                Ok(size) => {
                    report.reclaimed += size;
                    report.deleted.push(v.meta.name.clone());
                }
                // A container started using it meanwhile: keep it.
                Err(e) => tracing::debug!(volume = %v.meta.name, error = %e, "not pruned"),
            }
        }
        Ok(report)
    }
}
