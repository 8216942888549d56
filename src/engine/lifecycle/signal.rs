//! `stop`, `kill`, `pause`, `unpause`, `wait`.

use crate::engine::container::record::{self, files, update_state};
use crate::engine::container::{Container, Status};
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::lifecycle::LifecycleError;
use crate::engine::runtime::cgroups::Cgroup;
use crate::engine::runtime::protocol::{FrameKind, read_frame};
use crate::engine::{Engine, procfs};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::os::unix::net::UnixStream;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Parses a signal as Docker accepts it: `KILL`, `SIGKILL`, `9`.
pub fn parse_signal(s: &str) -> Result<Signal> {
    let t = s.trim().to_ascii_uppercase();
    if let Ok(n) = t.parse::<i32>() {
        return Signal::try_from(n)
            .map_err(|_| EngineError::Invalid(format!("invalid signal '{s}'")));
    }
    let name = if t.starts_with("SIG") {
        t
    } else {
        format!("SIG{t}")
    };
    Signal::from_str(&name).map_err(|_| EngineError::Invalid(format!("invalid signal '{s}'")))
}

impl Engine {
    /// Sends `sig` to the container's first process, if it is still the one recorded.
    pub(crate) fn signal_first_process(&self, c: &Container, sig: Signal) -> Result<()> {
        if c.state.pid > 0 && procfs::is_same_process(c.state.pid, c.state.pid_start) {
            kill(Pid::from_raw(c.state.pid), sig)
                .map_err(|e| EngineError::sys(format!("signal container '{}'", c.name()), e))?;
        }
        Ok(())
    }

    /// Polls until the container's shim has finished with it, or `timeout` passes.
    pub(crate) fn wait_stopped(&self, id: &str, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        loop {
            let running = record::load(self.paths(), id)
                .map(|c| self.reconcile(c).state.status.has_shim())
                .unwrap_or(false);
            if !running {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Marks a stop as the user's, so the shim's restart policy lets the container be.
    pub(crate) fn request_stop(&self, c: &Container) {
        let _ = std::fs::write(
            self.paths().container(c.id()).join(files::STOP_REQUESTED),
            b"",
        );
    }

    /// Sends the stop signal, waits `timeout` seconds (default: the container's, else 10),
    /// then SIGKILL. Stopping a stopped container does nothing.
    pub fn stop_container(&self, name_or_id: &str, timeout: Option<u32>) -> Result<()> {
        let c = self.container(name_or_id)?;
        if !c.state.status.can_kill() {
            return Ok(());
        }
        self.request_stop(&c);
        let sig = parse_signal(&c.config.stop_signal).unwrap_or(Signal::SIGTERM);
        let secs = timeout.or(c.config.stop_timeout).unwrap_or(10);
        self.signal_first_process(&c, sig)?;
        if c.state.status == Status::Paused {
            let _ = Cgroup::for_container(c.id()).set_frozen(false);
        }
        if !self.wait_stopped(c.id(), Duration::from_secs(secs as u64)) {
            let now = self.container(c.id())?;
            self.signal_first_process(&now, Signal::SIGKILL)?;
            if !self.wait_stopped(c.id(), Duration::from_secs(10)) {
                return Err(LifecycleError::DidNotStop {
                    name: c.name().to_string(),
                }
                .into());
            }
        }
        self.emit(EngineEvent::ContainerStop {
            id: c.id(),
            name: c.name(),
        });
        Ok(())
    }

    /// Sends a signal (`KILL`, `SIGTERM`, `9`...) to the container's first process.
    pub fn kill_container(&self, name_or_id: &str, signal: &str) -> Result<()> {
        let sig = parse_signal(signal)?;
        let c = self.container(name_or_id)?;
        if !c.state.status.can_kill() {
            return Err(EngineError::Conflict(format!(
                "cannot kill container '{}': it is not running",
                c.name()
            )));
        }
        if sig == Signal::SIGKILL {
            self.request_stop(&c);
        }
        self.signal_first_process(&c, sig)?;
        if c.state.status == Status::Paused && sig == Signal::SIGKILL {
            let _ = Cgroup::for_container(c.id()).set_frozen(false);
        }
        self.emit(EngineEvent::ContainerKill {
            id: c.id(),
            name: c.name(),
            signal: sig as i32,
        });
        Ok(())
    }

    /// Freezes every process of a running container.
    pub fn pause_container(&self, name_or_id: &str) -> Result<()> {
        let c = self.container(name_or_id)?;
        if c.state.status != Status::Running {
            return Err(EngineError::Conflict(format!(
                "cannot pause container '{}': it is {}",
                c.name(),
                if c.state.status == Status::Paused {
                    "already paused"
                } else {
                    "not running"
                }
            )));
        }
        Cgroup::for_container(c.id()).set_frozen(true)?;
        update_state(self.paths(), c.id(), |s| {
            if s.status == Status::Running {
                s.status = Status::Paused
            }
        })?;
        self.emit(EngineEvent::ContainerPause {
            id: c.id(),
            name: c.name(),
        });
        Ok(())
    }

    /// Thaws a paused container.
    pub fn unpause_container(&self, name_or_id: &str) -> Result<()> {
        let c = self.container(name_or_id)?;
        if c.state.status != Status::Paused {
            return Err(EngineError::Conflict(format!(
                "cannot unpause container '{}': it is not paused",
                c.name()
            )));
        }
        Cgroup::for_container(c.id()).set_frozen(false)?;
        update_state(self.paths(), c.id(), |s| {
            if s.status == Status::Paused {
                s.status = Status::Running
            }
        })?;
        self.emit(EngineEvent::ContainerUnpause {
            id: c.id(),
            name: c.name(),
        });
        Ok(())
    }

    /// Blocks until the container is not running; returns its exit code.
    pub fn wait_container(&self, name_or_id: &str) -> Result<i32> {
        let c = self.container(name_or_id)?;
        if c.state.status.has_shim() {
            if let Ok(mut s) = UnixStream::connect(self.paths().shim_socket(c.id())) {
                while let Ok(Some((kind, payload))) = read_frame(&mut s) {
                    if kind == FrameKind::Exit && payload.len() == 4 {
                        return Ok(i32::from_be_bytes([
                            payload[0], payload[1], payload[2], payload[3],
                        ]));
                    }
                }
            }
            // The socket closed without a code (or could not be reached): read the record.
            self.wait_stopped(c.id(), Duration::from_secs(u64::MAX / 4));
        }
        match record::load(self.paths(), c.id()) {
            Ok(now) => Ok(now.state.exit_code),
            // Removed meanwhile (--rm): the code it had when it went.
            Err(_) => Ok(c.state.exit_code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse_like_docker() {
        assert_eq!(parse_signal("KILL").expect("KILL"), Signal::SIGKILL);
        assert_eq!(parse_signal("sigterm").expect("term"), Signal::SIGTERM);
        assert_eq!(parse_signal("9").expect("9"), Signal::SIGKILL);
        assert!(parse_signal("NOPE").is_err());
    }
}
