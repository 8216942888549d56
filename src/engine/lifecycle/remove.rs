//! `rm` and `rename`.

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};

impl Engine {
    /// Removes a container; a running one only with `force` (killed first).
    /// With `volumes`, its anonymous volumes go too.
    pub fn remove_container(&self, name_or_id: &str, force: bool, volumes: bool) -> Result<()> {
        let _ = (force, volumes);
        Err(EngineError::Other(format!(
            "rm of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Gives a container a new name.
    pub fn rename_container(&self, name_or_id: &str, new_name: &str) -> Result<()> {
        let _ = new_name;
        Err(EngineError::Other(format!(
            "rename of '{name_or_id}' is not implemented yet"
        )))
    }
}
