//! The Topology pane's watcher: the networks, their endpoints and the containers'
//! interface counters once a second while the pane shows (and at once when notified),
//! read on a blocking thread through `Engine::networks_snapshot` (no DNS logs: the
//! drawing does not show them).

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Sampler, Tx, spawn_sampler};
use std::time::Duration;

/// The running watcher, if any.
#[derive(Default)]
pub struct TopologyTasks(Option<Sampler>);

impl PaneTasks for TopologyTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::WatchTopology(on) => {
                self.stop();
                if on {
                    self.0 = Some(spawn(engine.clone(), tx.clone()));
                }
            }
            Effect::RefreshNetworks => {
                if let Some(s) = &self.0 {
                    s.now.notify_one();
                }
                // The Networks pane's watcher wants it too.
                return Some(Effect::RefreshNetworks);
            }
            other => return Some(other),
        }
        None
    }

    fn stop(&mut self) {
        if let Some(s) = self.0.take() {
            s.task.abort();
        }
    }
}

/// Starts sampling into `tx`.
fn spawn(engine: Engine, tx: Tx) -> Sampler {
    spawn_sampler(
        Duration::from_secs(1),
        move || engine.networks_snapshot(0).map_err(|e| e.to_string()),
        move |sampled| {
            let sampled = sampled
                .map_err(|e| format!("the topology sampling task failed: {e}"))
                .and_then(|r| r);
            tx.send(Action::TopologySampled(sampled)).is_ok()
        },
    )
}
