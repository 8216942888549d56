//! The background side of pulls and pushes: the task that runs the engine's pull or push
//! and forwards its progress events as actions (so `update` and the panes never wait on
//! the network).

use crate::engine::Engine;
use crate::engine::{Progress, PullOptions, PushOptions, RegistryOptions};
use crate::tui::action::{Action, Effect};
use crate::tui::panes::transfer::state::TransferKind;
use crate::tui::tasks::{PaneTasks, Tx};

/// Performs the transfer effect (the task runs to its end; quitting abandons it).
#[derive(Default)]
pub struct TransferTasks;

impl PaneTasks for TransferTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::Transfer {
            kind,
            reference,
            registries,
        } = effect
        else {
            return Some(effect);
        };
        spawn(engine.clone(), registries, kind, reference, tx.clone());
        None
    }
}

/// Runs the pull or push of `reference` to the end, sending each progress event through
/// `send` as [`Action::TransferProgress`]. Returns the line the status bar shows, or the
/// engine's error (one line).
pub async fn run(
    engine: &Engine,
    registries: RegistryOptions,
    kind: TransferKind,
    reference: &str,
    send: impl Fn(Action),
) -> Result<String, String> {
    let forward = |p: Progress| send(Action::TransferProgress(p));
    match kind {
        TransferKind::Pull => {
            let opts = PullOptions {
                platform: None,
                registries,
                credentials: None,
            };
            engine
                .pull_image(reference, &opts, forward)
                .await
                .map(|r| format!("pulled '{}' ({})", r.reference, r.digest))
        }
        TransferKind::Push => {
            let opts = PushOptions {
                registries,
                credentials: None,
            };
            engine
                .push_image(reference, &opts, forward)
                .await
                .map(|r| format!("pushed '{reference}' ({})", r.digest))
        }
    }
    .map_err(|e| e.to_string().replace('\n', " "))
}

/// Starts [`run`] in the background; its progress and then
/// [`Action::TransferFinished`] arrive on `tx`. The engine's pull is driven on a blocking
/// thread of the runtime (its progress callback is not `Send`), never on the UI task.
pub fn spawn(
    engine: Engine,
    registries: RegistryOptions,
    kind: TransferKind,
    reference: String,
    tx: Tx,
) -> tokio::task::JoinHandle<()> {
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let progress_tx = tx.clone();
        let result = handle.block_on(run(&engine, registries, kind, &reference, |a| {
            let _ = progress_tx.send(a);
        }));
        let _ = tx.send(Action::TransferFinished {
            kind,
            reference,
            result,
        });
    })
}
