//! `start` and `restart`: hand a container to a new shim.

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};

impl Engine {
    /// Starts a created or exited container; returns once its process runs (or failed to).
    pub fn start_container(&self, name_or_id: &str) -> Result<()> {
        Err(EngineError::Other(format!(
            "start of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Stops (if running) then starts a container.
    pub fn restart_container(&self, name_or_id: &str, timeout: Option<u32>) -> Result<()> {
        self.stop_container(name_or_id, timeout)?;
        self.start_container(name_or_id)
    }
}
