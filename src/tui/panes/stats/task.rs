//! The Stats pane's background side: a sampler of every running container's stats, once a
//! second while the pane shows. The containers are the poller's last list (their records
//! are not read again for a sample: only their cgroup and network counters).

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{Listed, PaneTasks, Tx};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The running sampler, if any: what the runner keeps to perform `WatchStats`.
pub struct StatsTask {
    /// The container poller's last list: the containers to sample.
    listed: Listed,
    sampler: Option<JoinHandle<()>>,
}

impl StatsTask {
    /// No sampler running yet; it will sample the containers of `listed`.
    pub fn new(listed: Listed) -> StatsTask {
        StatsTask {
            listed,
            sampler: None,
        }
    }
}

impl PaneTasks for StatsTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchStats(on) = effect else {
            return Some(effect);
        };
        self.stop();
        if on {
            let listed = self.listed.clone();
            self.sampler = Some(spawn_stats_sampler(engine.clone(), listed, tx.clone()));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(t) = self.sampler.take() {
            t.abort();
        }
    }
}

/// Samples the stats of every running container of `listed` once a second until aborted
/// (the runner aborts it when the container list leaves the screen).
fn spawn_stats_sampler(engine: Engine, listed: Listed, tx: Tx) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let e = engine.clone();
            let list = listed.borrow().clone();
            let sampled = tokio::task::spawn_blocking(move || {
                list.iter()
                    .filter(|c| c.state.status.has_shim())
                    .map(|c| e.stats_of(c))
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            if tx.send(Action::StatsSampled(sampled)).is_err() {
                return;
            }
        }
    })
}
