//! `container prune`: removes every container that is not running.

use crate::engine::Engine;
use crate::engine::error::Result;
use crate::engine::volume::{PruneReport, dir_size};

impl Engine {
    /// Removes all stopped containers (created, exited, dead). Containers that cannot be
    /// removed are listed in the report's `failed` with the reason.
    pub fn prune_containers(&self) -> Result<PruneReport> {
        let mut report = PruneReport::default();
        for c in self.containers()? {
            if c.state.status.has_shim()
                || c.state.status == crate::engine::container::Status::Removing
            {
                continue;
            }
            let size = dir_size(&self.paths().container(c.id()).join("rw").join("upper"));
            match self.remove_container(c.id(), false, false) {
                Ok(()) => {
                    report.deleted.push(c.config.id.to_string());
                    report.reclaimed += size;
                }
                Err(e) => report.failed.push((c.config.id.to_string(), e.to_string())),
            }
        }
        Ok(report)
    }
}
