//! Runs a build for the dashboard on a blocking thread, sending each progress report and
//! the outcome as actions (rendering never waits on it).

use crate::engine::Engine;
use crate::engine::build::BuildOptions;
use crate::tui::action::Action;
use crate::tui::panes::build::state::BuildRequest;
use crate::tui::tasks::Tx;
use std::path::PathBuf;

/// Starts `request` with RUN steps on `network`.
pub fn spawn(engine: Engine, request: BuildRequest, network: String, tx: Tx) {
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
