//! `attach` and `exec`: connections to a running container's shim.

use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::lifecycle::LifecycleError;
use crate::engine::runtime::exec::ExecRequest;
use crate::engine::runtime::protocol::{FrameKind, write_frame};
use crate::engine::{ContainerId, Engine};
use std::os::unix::net::UnixStream;

impl Engine {
    fn connect_running(&self, name_or_id: &str) -> Result<(ContainerId, UnixStream)> {
        let c = self.container(name_or_id)?;
        if !c.state.status.has_shim() || c.state.pid <= 0 {
            return Err(EngineError::Conflict(format!(
                "container '{}' is not running: start it first",
                c.name()
            )));
        }
        let s = UnixStream::connect(self.paths().shim_socket(c.id())).map_err(|source| {
            LifecycleError::ShimUnreachable {
                name: c.name().to_string(),
                source,
            }
        })?;
        Ok((c.config.id, s))
    }

    /// Attaches to a running container: the stream carries its output frames and takes
    /// stdin and resize frames (see `runtime::protocol`).
    pub(crate) fn attach_container(&self, name_or_id: &str) -> Result<(ContainerId, UnixStream)> {
        self.connect_running(name_or_id)
    }

    /// Starts a process in a running container; the stream carries that process's output
    /// and, at the end, its exit code.
    pub(crate) fn exec_container(
        &self,
        name_or_id: &str,
        req: &ExecRequest,
    ) -> Result<(ContainerId, UnixStream)> {
        if req.argv.is_empty() {
            return Err(EngineError::Invalid("exec needs a command to run".into()));
        }
        let (id, mut s) = self.connect_running(name_or_id)?;
        let payload = serde_json::to_vec(req).map_err(LifecycleError::EncodeExec)?;
        write_frame(&mut s, FrameKind::Exec, &payload).map_err(LifecycleError::SendExec)?;
        let name = self
            .container(&id)
            .map(|c| c.config.name)
            .unwrap_or_default();
        self.emit(EngineEvent::ContainerExecStart {
            id: &id,
            name: &name,
            command: &req.argv.join(" "),
        });
        Ok((id, s))
    }
}
