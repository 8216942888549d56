//! The Changes pane's background side: reads the watched container's changes once a
//! second while the pane shows.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Tx};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The running watcher, if any: what the runner keeps to perform `WatchChanges`.
#[derive(Default)]
pub struct ChangesTask(Option<JoinHandle<()>>);

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
            self.0 = Some(tokio::spawn(async move {
                let mut interval = tokio::time::interval(Duration::from_secs(1));
                interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    let (e, n) = (engine.clone(), name.clone());
                    let result = tokio::task::spawn_blocking(move || e.container_diff(&n))
                        .await
                        .map_err(|e| format!("reading the changes failed: {e}"))
                        .and_then(|r| r.map_err(|e| e.to_string()));
                    if tx
                        .send(Action::ChangesListed { generation, result })
                        .is_err()
                    {
                        return;
                    }
                }
            }));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(t) = self.0.take() {
            t.abort();
        }
    }
}
