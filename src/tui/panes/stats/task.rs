//! The Stats pane's background side: a sampler of every running container's stats, once a
//! second while the pane shows.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Tx};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The running sampler, if any: what the runner keeps to perform `WatchStats`.
#[derive(Default)]
pub struct StatsTask(Option<JoinHandle<()>>);

impl PaneTasks for StatsTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchStats(on) = effect else {
            return Some(effect);
        };
        self.stop();
        if on {
            self.0 = Some(spawn_stats_sampler(engine.clone(), tx.clone()));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(t) = self.0.take() {
            t.abort();
        }
    }
}

/// Samples the stats of every running container once a second until aborted (the
/// runner aborts it when the container list leaves the screen).
fn spawn_stats_sampler(engine: Engine, tx: Tx) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let e = engine.clone();
            let sampled = tokio::task::spawn_blocking(move || {
                e.containers()
                    .map(|list| {
                        list.iter()
                            .filter(|c| c.state.status.has_shim())
                            .map(|c| e.stats_of(c))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .await
            .unwrap_or_default();
            if tx.send(Action::StatsSampled(sampled)).is_err() {
                return;
            }
        }
    })
}
