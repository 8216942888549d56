//! `start` and `restart`: hand a container to a new shim.

use crate::engine::Engine;
use crate::engine::container::Status;
use crate::engine::container::record::files;
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::ImageError;
use crate::engine::lifecycle::LifecycleError;
use crate::engine::runtime::spawn::spawn_shim;
use std::os::unix::net::UnixStream;

impl Engine {
    /// Starts a created or exited container; returns once its process runs (or failed to).
    /// Starting a running container does nothing, as in Docker.
    pub fn start_container(&self, name_or_id: &str) -> Result<()> {
        self.start(name_or_id, false).map(|_| ())
    }

    /// Starts a container with a client attached before its process runs, so no output is
    /// missed; the stream carries the shim's frames (see `runtime::protocol`).
    pub(crate) fn start_container_attached(&self, name_or_id: &str) -> Result<UnixStream> {
        self.start(name_or_id, true)?
            .ok_or_else(|| LifecycleError::NoAttachConnection.into())
    }

    fn start(&self, name_or_id: &str, attach: bool) -> Result<Option<UnixStream>> {
        let (_lock, c) = self.lock_container(name_or_id)?;
        let dir = self.paths().container(c.id());
        match c.state.status {
            Status::Running | Status::Restarting if !attach => return Ok(None),
            Status::Paused => {
                return Err(EngineError::Conflict(format!(
                    "cannot start a paused container '{}': unpause it instead",
                    c.name()
                )));
            }
            Status::Running | Status::Restarting => {
                return Err(EngineError::Conflict(format!(
                    "container '{}' is already running: use attach or logs",
                    c.name()
                )));
            }
            _ => {}
        }
        for l in &c.config.layers {
            let d = self.layer_dir(l);
            if !d.is_dir() {
                return Err(ImageError::LayerMissing {
                    layer: l.to_string(),
                    image: c.config.image.to_string(),
                }
                .into());
            }
        }
        let _ = std::fs::remove_file(dir.join(files::STOP_REQUESTED));
        spawn_shim(self, c.id(), attach)
    }

    /// Stops (if running) then starts a container.
    pub fn restart_container(&self, name_or_id: &str, timeout: Option<u32>) -> Result<()> {
        self.stop_container(name_or_id, timeout)?;
        self.start_container(name_or_id)?;
        let c = self.container(name_or_id)?;
        self.emit(EngineEvent::ContainerRestart {
            id: c.id(),
            name: c.name(),
        });
        Ok(())
    }
}
