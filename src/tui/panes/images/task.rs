//! The Images pane's background side: the image list and the layer trees, read on
//! blocking threads (the pane only draws what has arrived).

use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::panes::images::state as images;
use crate::tui::tasks::{PaneTasks, Tx};
use std::sync::Arc;

/// Performs the Images pane's effects (it keeps no task running).
#[derive(Default)]
pub struct ImageTasks;

impl PaneTasks for ImageTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::ListImages => {
                let (engine, tx) = (engine.clone(), tx.clone());
                tokio::task::spawn_blocking(move || {
                    let listed = engine
                        .images()
                        .map(images::rows_of)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::ImagesListed(listed));
                });
            }
            Effect::ComputeTree { image_id, layers } => {
                let (engine, tx) = (engine.clone(), tx.clone());
                tokio::task::spawn_blocking(move || {
                    let result = engine
                        .layer_tree(&layers)
                        .map(Arc::new)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::TreeComputed { image_id, result });
                });
            }
            other => return Some(other),
        }
        None
    }
}
