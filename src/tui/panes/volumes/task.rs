//! The Volumes pane's watcher (the list with sizes every two seconds while the pane shows,
//! and at once after a change) and its engine calls.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::tasks::{PaneTasks, Tx};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Sizes are a walk of each volume's files: every two seconds is fresh enough.
const PERIOD: Duration = Duration::from_secs(2);

/// The running watcher, if any, and how to wake it.
#[derive(Default)]
pub struct VolumeTasks(Option<(JoinHandle<()>, Arc<Notify>)>);

impl PaneTasks for VolumeTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::WatchVolumes(on) => {
                self.stop();
                if on {
                    self.0 = Some(spawn(engine.clone(), tx.clone()));
                }
            }
            Effect::RefreshVolumes => {
                if let Some((_, now)) = &self.0 {
                    now.notify_one();
                }
            }
            other => return Some(other),
        }
        None
    }

    fn stop(&mut self) {
        if let Some((task, _)) = self.0.take() {
            task.abort();
        }
    }
}

fn spawn(engine: Engine, tx: Tx) -> (JoinHandle<()>, Arc<Notify>) {
    let now = Arc::new(Notify::new());
    let wake = now.clone();
    let task = tokio::spawn(async move {
        let mut interval = tokio::time::interval(PERIOD);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = wake.notified() => {}
            }
            let e = engine.clone();
            let listed = tokio::task::spawn_blocking(move || {
                e.volumes_overview().map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| format!("the volume listing task failed: {e}"))
            .and_then(|r| r);
            if tx.send(Action::VolumesListed(listed)).is_err() {
                return;
            }
        }
    });
    (task, now)
}

/// Performs a volume operation of the pane (on a blocking thread, from the runner).
pub fn call(engine: &Engine, op: &EngineOp) -> crate::engine::Result<()> {
    match op {
        EngineOp::CreateVolume(name) => engine
            .create_volume(Some(name.as_str()), BTreeMap::new())
            .map(|_| ()),
        EngineOp::RemoveVolume(name) => engine.remove_volume(name, false),
        EngineOp::PruneVolumes => engine.prune_volumes(false).map(|_| ()),
        other => Err(crate::engine::EngineError::Invalid(format!(
            "'{}' is not a volume operation",
            other.cli_line()
        ))),
    }
}
