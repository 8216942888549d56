//! The Top pane's background side: a watcher listing the selected container's processes
//! once a second while the pane shows.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Sampler, Tx, spawn_sampler};
use std::time::Duration;

/// The running watcher, if any: what the runner keeps to perform `WatchTop`.
#[derive(Default)]
pub struct TopTask(Option<Sampler>);

impl PaneTasks for TopTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchTop {
            container,
            generation,
        } = effect
        else {
            return Some(effect);
        };
        self.stop();
        if let Some(name) = container {
            let (engine, tx) = (engine.clone(), tx.clone());
            // The processes of `name` once a second, tagged with `generation`.
            self.0 = Some(spawn_sampler(
                Duration::from_secs(1),
                move || engine.top(&name).map_err(|e| e.to_string()),
                move |listed| {
                    let result = listed
                        .map_err(|e| format!("the process listing failed: {e}"))
                        .and_then(|r| r);
                    tx.send(Action::TopListed { generation, result }).is_ok()
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
