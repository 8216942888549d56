//! `system boot`: what berth does once after the host started (a systemd unit runs it;
//! see `assets/systemd/berth-restart.service`). There is no daemon to restore containers,
//! so this one-shot command does Docker's restore: every container whose shim is gone is
//! recorded as exited (and what it left is cleaned), then the containers whose restart
//! policy asks for it are started again.

use crate::engine::Engine;
use crate::engine::container::record::files;
use crate::engine::container::{Container, Status};
use crate::engine::error::{EngineError, Result};

/// What `system boot` did, container by container.
#[derive(Debug, Default)]
pub struct BootReport {
    /// Names of the containers started again.
    pub started: Vec<String>,
    /// Containers whose start failed, with why.
    pub failed: Vec<(String, EngineError)>,
}

/// Whether a container comes back at boot: `always` (even one stopped by hand, as in
/// Docker after a daemon restart), and `unless-stopped` unless the user stopped it.
/// Containers that never started, and `no` and `on-failure` ones, stay as they are.
pub fn starts_at_boot(c: &Container, stopped_by_user: bool) -> bool {
    if c.state.status != Status::Exited {
        return false;
    }
    match c.config.restart.name.as_str() {
        "always" => true,
        "unless-stopped" => !stopped_by_user,
        _ => false,
    }
}

impl Engine {
    /// Reconciles every container after a reboot (or any crash of the shims) and starts
    /// those whose restart policy brings them back, oldest first (as they were created).
    /// One container's failure does not stop the others: it is reported.
    pub fn boot(&self) -> Result<BootReport> {
        // Listing reconciles: a container whose shim is gone is marked exited.
        let mut all = self.containers()?;
        all.reverse();
        let mut report = BootReport::default();
        for c in all {
            let stopped_by_user = self
                .paths()
                .container(c.id())
                .join(files::STOP_REQUESTED)
                .exists();
            if !starts_at_boot(&c, stopped_by_user) {
                continue;
            }
            match self.start_container(c.id()) {
                Ok(()) => report.started.push(c.config.name),
                Err(e) => report.failed.push((c.config.name, e)),
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::container::{ContainerConfig, ContainerState, RestartPolicy};

    fn container(policy: &str, status: Status) -> Container {
        Container {
            config: ContainerConfig {
                restart: RestartPolicy {
                    name: policy.into(),
                    max_retry: 0,
                },
                ..ContainerConfig::default()
            },
            state: ContainerState {
                status,
                ..ContainerState::default()
            },
        }
    }

    #[test]
    fn dockers_policies_at_boot() {
        let exited = |p| container(p, Status::Exited);
        assert!(starts_at_boot(&exited("always"), false));
        assert!(starts_at_boot(&exited("always"), true));
        assert!(starts_at_boot(&exited("unless-stopped"), false));
        assert!(!starts_at_boot(&exited("unless-stopped"), true));
        assert!(!starts_at_boot(&exited("no"), false));
        assert!(!starts_at_boot(&exited("on-failure"), false));
        assert!(!starts_at_boot(
            &container("always", Status::Created),
            false
        ));
        assert!(!starts_at_boot(
            &container("always", Status::Running),
            false
        ));
    }
}
