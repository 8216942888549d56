//! The Networks pane's watcher: samples networks, endpoint counters and DNS logs once a
//! second (and at once when notified, after a network change) until aborted. The engine's
//! reads run on a blocking thread; the pane only ever draws the last sample. Also the
//! engine calls of the pane's actions.

use crate::engine::Engine;
use crate::engine::NetworkCreateOptions;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::panes::networks::state as networks;
use crate::tui::tasks::{PaneTasks, Sampler, Tx, spawn_sampler};
use std::time::Duration;

/// The running watcher, if any: what the runner keeps to perform the pane's effects.
#[derive(Default)]
pub struct NetTasks(Option<Sampler>);

impl PaneTasks for NetTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::WatchNetworks(on) => {
                self.stop();
                if on {
                    self.0 = Some(spawn(engine.clone(), tx.clone()));
                }
            }
            Effect::RefreshNetworks => {
                if let Some(w) = &self.0 {
                    w.now.notify_one();
                }
            }
            other => return Some(other),
        }
        None
    }

    fn stop(&mut self) {
        if let Some(w) = self.0.take() {
            w.task.abort();
        }
    }
}

/// Starts sampling into `tx`.
pub fn spawn(engine: Engine, tx: Tx) -> Sampler {
    spawn_sampler(
        Duration::from_secs(1),
        move || networks::sample(&engine),
        move |sampled| {
            let sampled = sampled
                .map_err(|e| format!("the network sampling task failed: {e}"))
                .and_then(|r| r);
            tx.send(Action::NetworksSampled(sampled)).is_ok()
        },
    )
}

/// Performs a network operation of the pane (on a blocking thread, from the runner).
pub fn call(engine: &Engine, op: &EngineOp) -> crate::engine::Result<()> {
    match op {
        EngineOp::CreateNetwork { name, subnet } => {
            let o = NetworkCreateOptions {
                name: name.clone(),
                subnet: subnet.clone(),
                ..NetworkCreateOptions::default()
            };
            engine.create_network(&o).map(|_| ())
        }
        EngineOp::RemoveNetwork(n) => engine.remove_network(n).map(|_| ()),
        EngineOp::ConnectNetwork { network, container } => {
            engine.connect_network(network, container, &[], None)
        }
        EngineOp::DisconnectNetwork { network, container } => {
            engine.disconnect_network(network, container)
        }
        other => Err(crate::engine::EngineError::Invalid(format!(
            "'{}' is not a network operation",
            other.cli_line()
        ))),
    }
}
