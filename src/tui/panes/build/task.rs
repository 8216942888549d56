//! Runs a build for the dashboard on a blocking thread, sending each progress report and
//! the outcome as actions (rendering never waits on it).

use crate::engine::BuildOptions;
use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::panes::build::state::BuildRequest;
use crate::tui::tasks::{PaneTasks, Tx};
use std::path::PathBuf;

/// Performs the build effect (it keeps no task: a build runs to its end).
#[derive(Default)]
pub struct BuildTasks;

impl PaneTasks for BuildTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::Build { request, network } = effect else {
            return Some(effect);
        };
        spawn(engine.clone(), request, network, tx.clone());
        None
    }
}

/// Starts `request` with RUN steps on `network`.
fn spawn(engine: Engine, request: BuildRequest, network: String, tx: Tx) {
    tokio::task::spawn_blocking(move || {
        let opts = BuildOptions {
            context: Some(PathBuf::from(&request.context)),
            dockerfile: request.dockerfile.as_ref().map(PathBuf::from),
            tags: request.tags.clone(),
            build_args: request.build_args.clone(),
            network,
            ..BuildOptions::default()
        };
        let progress_tx = tx.clone();
        let mut progress = move |e| {
            let _ = progress_tx.send(Action::BuildProgress(e));
        };
        let result = engine
            .build(&opts, &mut progress)
            .map(|o| o.id)
            .map_err(|e| e.to_string());
        let _ = tx.send(Action::BuildFinished(result));
    });
}
