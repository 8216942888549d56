//! `stop`, `kill`, `pause`, `unpause`, `wait`.

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};

impl Engine {
    /// Sends the stop signal, waits `timeout` seconds (default 10), then SIGKILL.
    pub fn stop_container(&self, name_or_id: &str, timeout: Option<u32>) -> Result<()> {
        let _ = timeout;
        Err(EngineError::Other(format!(
            "stop of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Sends a signal (`KILL`, `SIGTERM`, `9`...) to the container's first process.
    pub fn kill_container(&self, name_or_id: &str, signal: &str) -> Result<()> {
        let _ = signal;
        Err(EngineError::Other(format!(
            "kill of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Freezes every process of a running container.
    pub fn pause_container(&self, name_or_id: &str) -> Result<()> {
        Err(EngineError::Other(format!(
            "pause of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Thaws a paused container.
    pub fn unpause_container(&self, name_or_id: &str) -> Result<()> {
        Err(EngineError::Other(format!(
            "unpause of '{name_or_id}' is not implemented yet"
        )))
    }
    /// Blocks until the container is not running; returns its exit code.
    pub fn wait_container(&self, name_or_id: &str) -> Result<i32> {
        Err(EngineError::Other(format!(
            "wait of '{name_or_id}' is not implemented yet"
        )))
    }
}
