//! The Volumes pane's watcher (the list with sizes every two seconds while the pane shows,
//! and at once after a change) and its engine calls.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::tasks::{PaneTasks, Sampler, Tx, spawn_sampler};
use std::collections::BTreeMap;
use std::time::Duration;

/// Sizes are a walk of each volume's files: every two seconds is fresh enough.
const PERIOD: Duration = Duration::from_secs(2);

/// The running watcher, if any.
#[derive(Default)]
pub struct VolumeTasks(Option<Sampler>);

impl PaneTasks for VolumeTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::WatchVolumes(on) => {
                self.stop();
                if on {
                    let (engine, tx) = (engine.clone(), tx.clone());
                    self.0 = Some(spawn_sampler(
                        PERIOD,
                        move || engine.volumes_overview().map_err(|e| e.to_string()),
                        move |listed| {
                            let listed = listed
                                .map_err(|e| format!("the volume listing task failed: {e}"))
                                .and_then(|r| r);
                            tx.send(Action::VolumesListed(listed)).is_ok()
                        },
                    ));
                }
            }
            Effect::RefreshVolumes => {
                if let Some(s) = &self.0 {
                    s.now.notify_one();
                }
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
