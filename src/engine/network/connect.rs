//! Live attachment changes: `network connect` and `disconnect` of a container, which a
//! running one sees at once (an interface added or removed, its /etc/hosts rewritten).

use super::error::NetworkError;
use super::ops::attach_for;
use super::{hosts, netlink, store};
use crate::engine::Engine;
use crate::engine::container::Status;
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};

impl Engine {
    fn detach_record(&self, net_id: &str, id: &str) {
        if let Ok(_l) = store::lock(self.paths())
            && let Ok(mut n) = store::find(&store::list_raw(self.paths()), net_id)
            && n.endpoints.remove(id).is_some()
        {
            let _ = store::save_endpoints(self.paths(), &n);
        }
    }

    /// `network connect`: attaches a container; a running one gets its interface now.
    pub fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
        ip: Option<&str>,
    ) -> Result<()> {
        // Under the container's lock: it cannot start, stop being recorded or be removed
        // while its endpoint is added (no endpoint of a removed container is left).
        let (_lock, c) = self.lock_container(container)?;
        if !c.config.on_berth_network() {
            return Err(EngineError::Conflict(format!(
                "container '{}' uses the '{}' network and cannot join others",
                c.name(),
                if c.config.network_mode.is_empty() {
                    "none"
                } else {
                    &c.config.network_mode
                }
            )));
        }
        let n = self.network(network)?;
        if n.driver != "bridge" {
            return Err(EngineError::Conflict(format!(
                "a container cannot be connected to the '{}' network",
                n.name
            )));
        }
        let Some((n, e)) = self.attach_record(&n.id, c.id(), c.name(), aliases, ip)? else {
            return Ok(());
        };
        if c.state.status == Status::Running && c.state.pid > 0 {
            let live = attach_for(&n, &e, c.id())
                .and_then(|a| netlink::setup_container(c.state.pid, vec![a], false));
            if let Err(source) = live {
                self.detach_record(&n.id, c.id());
                return Err(NetworkError::ConnectFailed {
                    container: c.name().to_string(),
                    source: Box::new(source),
                }
                .into());
            }
            let _ = hosts::rewrite_hosts(self.paths(), &c.config);
        }
        self.emit(EngineEvent::NetworkConnect {
            id: &n.id,
            container: c.id(),
        });
        Ok(())
    }

    /// `network disconnect`: detaches a container; a running one loses the interface now.
    pub fn disconnect_network(&self, network: &str, container: &str) -> Result<()> {
        let (_lock, c) = self.lock_container(container)?;
        let n = self.network(network)?;
        let Some(e) = n.endpoints.get(c.id()).cloned() else {
            return Err(EngineError::Conflict(format!(
                "container '{}' is not connected to network '{}'",
                c.name(),
                n.name
            )));
        };
        if c.state.status == Status::Running {
            netlink::delete_link(&netlink::host_veth_name(c.id(), &e.ifname)).map_err(
                |source| NetworkError::DisconnectFailed {
                    container: c.name().to_string(),
                    source: Box::new(source),
                },
            )?;
        }
        self.detach_record(&n.id, c.id());
        if c.state.status == Status::Running {
            let _ = hosts::rewrite_hosts(self.paths(), &c.config);
        }
        self.emit(EngineEvent::NetworkDisconnect {
            id: &n.id,
            container: c.id(),
        });
        Ok(())
    }
}
