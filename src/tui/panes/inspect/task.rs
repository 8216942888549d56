//! The Inspect view's background side: reads a document off the UI task.

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Tx};

/// Performs `Effect::Inspect`.
#[derive(Debug, Default)]
pub struct InspectTasks;

impl PaneTasks for InspectTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::Inspect { kind, name } = effect else {
            return Some(effect);
        };
        let (engine, tx) = (engine.clone(), tx.clone());
        tokio::task::spawn_blocking(move || {
            let (kind, result) = match engine.inspect_object(&name, kind) {
                Ok((k, doc)) => (k, Ok(doc)),
                Err(e) => (
                    kind.unwrap_or(crate::engine::ObjectKind::Container),
                    Err(e.to_string()),
                ),
            };
            let _ = tx.send(Action::Inspected { kind, name, result });
        });
        None
    }
}
