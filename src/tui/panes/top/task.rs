//! The Top pane's background side: a watcher listing the selected container's processes
//! once a second while the pane shows.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Tx};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The running watcher, if any: what the runner keeps to perform `WatchTop`.
#[derive(Default)]
pub struct TopTask(Option<JoinHandle<()>>);

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
            self.0 = Some(spawn_top_watcher(
                engine.clone(),
                name,
                generation,
                tx.clone(),
            ));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(t) = self.0.take() {
            t.abort();
        }
    }
}

/// Lists `name`'s processes once a second, tagged with `generation`, until aborted.
fn spawn_top_watcher(engine: Engine, name: String, generation: u64, tx: Tx) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let (e, n) = (engine.clone(), name.clone());
            let result = tokio::task::spawn_blocking(move || e.top(&n))
                .await
                .map_err(|e| format!("the process listing failed: {e}"))
                .and_then(|r| r.map_err(|e| e.to_string()));
            if tx.send(Action::TopListed { generation, result }).is_err() {
                return;
            }
        }
    })
}
