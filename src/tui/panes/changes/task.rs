//! The Changes pane's background side: reads the watched container's changes once a
//! second while the pane shows.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Sampler, Tx, spawn_sampler};
use std::time::Duration;

/// The running watcher, if any: what the runner keeps to perform `WatchChanges`.
#[derive(Default)]
pub struct ChangesTask(Option<Sampler>);

impl PaneTasks for ChangesTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchChanges {
            container,
            generation,
        } = effect
        else {
            return Some(effect);
        };
        self.stop();
        if let Some(name) = container {
            let (engine, tx) = (engine.clone(), tx.clone());
            self.0 = Some(spawn_sampler(
                Duration::from_secs(1),
                move || engine.container_diff(&name).map_err(|e| e.to_string()),
                move |listed| {
                    let result = listed
                        .map_err(|e| format!("reading the changes failed: {e}"))
                        .and_then(|r| r);
                    tx.send(Action::ChangesListed { generation, result })
                        .is_ok()
                },
            ));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(s) = self.0.take() {
            s.task.abort();
        }
    }
}
