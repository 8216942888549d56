//! The runner: owns the terminal and the `App`, feeds actions to `update`, performs the
//! effects it returns, and draws at most once per batch of actions.

use super::action::{Action, Effect, EngineOp};
use super::app::App;
use super::panes::build::task::BuildTasks;
use super::panes::changes::task::ChangesTask;
use super::panes::images::task::ImageTasks;
use super::panes::inspect::task::InspectTasks;
use super::panes::logs::task::LogTasks;
use super::panes::networks::task::NetTasks;
use super::panes::palette::task::PaletteTasks;
use super::panes::shell::task::ShellSessions;
use super::panes::stats::task::StatsTask;
use super::panes::timeline::task::TimelineTask;
use super::panes::top::task::TopTask;
use super::panes::topology::task::TopologyTasks;
use super::panes::transfer::task::TransferTasks;
use super::panes::volumes::task::VolumeTasks;
use super::tasks::{self, PaneTasks, Poller, Tx};
use super::theme::Theme;
use super::ui;
use crate::engine::CreateOptions;
use crate::engine::PullPolicy;
use crate::engine::{Engine, EngineError, Result as EngineResult};
use crossterm::clipboard::CopyToClipboard;
use ratatui::DefaultTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::sync::{Notify, Semaphore};

/// Most actions handled between two draws (a burst of log lines still redraws soon).
const BATCH: usize = 2000;

/// Log batches on their way to the app at once (each up to 2000 lines).
const LOG_BATCHES: usize = 4;

/// Whether `a` is a log batch (its permit goes back once handled).
fn log_batch(a: &Action) -> bool {
    matches!(
        a,
        Action::LogLines { .. } | Action::MergedLogLines { .. } | Action::TimelineLines { .. }
    )
}

/// Least time between two draws, unless a key was pressed.
const FRAME: Duration = Duration::from_millis(16);

/// Actions drawn at once: keys, and the Shell pane's screens (their task already sends
/// at most one a frame).
fn urgent(a: &Action) -> bool {
    matches!(
        a,
        Action::Key(_) | Action::Mouse(_) | Action::ShellScreen { .. }
    )
}

/// Runs the dashboard until the user quits.
pub async fn run(
    terminal: &mut DefaultTerminal,
    engine: Engine,
    mut app: App,
    theme: Theme,
    refresh: Duration,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    tasks::spawn_input(tx.clone());
    tasks::spawn_ticker(tx.clone());
    tasks::spawn_signals(tx.clone());
    let poller = tasks::spawn_poller(engine.clone(), refresh, tx.clone());
    let mut runner = Runner::new(engine, tx, poller);
    let size = terminal.size()?;
    // The first update already starts watchers (the stats sampler): keep its effects.
    let mut pending = app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    pending.extend(app.init());
    loop {
        for effect in pending.drain(..) {
            if runner.perform(effect, terminal) {
                runner.stop();
                return Ok(());
            }
        }
        terminal.draw(|f| ui::render(&app, &theme, f.area(), f.buffer_mut()))?;
        let drawn = Instant::now();
        let Some(first) = rx.recv().await else {
            return Ok(());
        };
        let mut key = urgent(&first);
        let mut batches = usize::from(log_batch(&first));
        pending.extend(app.update(first));
        let mut n = 1;
        loop {
            while n < BATCH {
                let Ok(next) = rx.try_recv() else { break };
                key |= urgent(&next);
                batches += usize::from(log_batch(&next));
                pending.extend(app.update(next));
                n += 1;
            }
            // A key draws at once; other news (a flood of log lines) at most once a
            // frame, so the terminal is not flooded with redraws.
            let left = FRAME.saturating_sub(drawn.elapsed());
            if key || n >= BATCH || left.is_zero() {
                break;
            }
            match tokio::time::timeout(left, rx.recv()).await {
                Ok(Some(next)) => {
                    key |= urgent(&next);
                    batches += usize::from(log_batch(&next));
                    pending.extend(app.update(next));
                    n += 1;
                }
                Ok(None) | Err(_) => break,
            }
        }
        runner.log_credit.add_permits(batches);
    }
}

struct Runner {
    engine: Engine,
    tx: Tx,
    refresh_now: Arc<Notify>,
    /// Each pane's background side, asked in turn to perform an effect.
    panes: Vec<Box<dyn PaneTasks>>,
    /// Log batches sent but not yet handled, at most [`LOG_BATCHES`].
    log_credit: Arc<Semaphore>,
}

impl Runner {
    /// A runner whose panes have no task running yet.
    fn new(engine: Engine, tx: Tx, poller: Poller) -> Runner {
        let log_credit = Arc::new(Semaphore::new(LOG_BATCHES));
        let panes: Vec<Box<dyn PaneTasks>> = vec![
            Box::new(ShellSessions::default()),
            Box::new(LogTasks::new(log_credit.clone())),
            Box::new(ImageTasks),
            Box::new(StatsTask::new(poller.listed)),
            Box::new(TopTask::default()),
            Box::new(TopologyTasks::default()),
            Box::new(NetTasks::default()),
            Box::new(BuildTasks),
            Box::new(TransferTasks),
            Box::new(InspectTasks),
            Box::new(VolumeTasks::default()),
            Box::new(ChangesTask::default()),
            Box::new(TimelineTask::new(log_credit.clone())),
            Box::new(PaletteTasks),
        ];
        Runner {
            engine,
            tx,
            refresh_now: poller.now,
            panes,
            log_credit,
        }
    }

    /// Performs one effect: the pane it belongs to, or the runner's own; true means quit.
    fn perform(&mut self, effect: Effect, terminal: &mut DefaultTerminal) -> bool {
        let mut effect = effect;
        for pane in &mut self.panes {
            match pane.perform(effect, &self.engine, &self.tx) {
                Some(other) => effect = other,
                None => return false,
            }
        }
        match effect {
            Effect::Quit => return true,
            Effect::RefreshContainers => self.refresh_now.notify_one(),
            Effect::Engine(op) => self.engine_call(op),
            Effect::CopyCommandLog { text, file } => {
                // OSC 52 goes to the terminal, which puts it on the clipboard.
                let _ = crossterm::execute!(
                    terminal.backend_mut(),
                    CopyToClipboard::to_clipboard_from(text.as_bytes())
                );
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Action::CommandLogSaved(save(&text, &file)));
                });
            }
            Effect::CopyText(text) => {
                let _ = crossterm::execute!(
                    terminal.backend_mut(),
                    CopyToClipboard::to_clipboard_from(text.as_bytes())
                );
            }
            // The panes' effects, performed above.
            _ => {}
        }
        false
    }

    /// Stops every pane's background tasks.
    fn stop(&mut self) {
        for pane in &mut self.panes {
            pane.stop();
        }
    }

    fn engine_call(&self, op: EngineOp) {
        let engine = self.engine.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let call = op.clone();
            let action = tokio::task::spawn_blocking(move || perform(&engine, call))
                .await
                .unwrap_or_else(|e| Action::OpFinished {
                    op,
                    result: Err(format!("the engine call failed: {e}")),
                });
            let _ = tx.send(action);
        });
    }
}

/// Performs `op` (blocking) and tells how it ended: [`Action::OpFinished`], or
/// [`Action::RunNeedsPull`] for a run whose image is missing (nothing was done then).
pub fn perform(engine: &Engine, op: EngineOp) -> Action {
    let result = match &op {
        EngineOp::RunImage {
            image,
            name,
            network,
        } => run_image(engine, image, name, network),
        other => call_engine(engine, other).map(|()| true),
    };
    match result {
        Ok(false) => Action::RunNeedsPull(op),
        Ok(true) => Action::OpFinished { op, result: Ok(()) },
        Err(e) => Action::OpFinished {
            op,
            result: Err(e.to_string()),
        },
    }
}

/// `run -d --network NETWORK` of `image` unless it is missing: then `Ok(false)`, and
/// nothing was done.
fn run_image(
    engine: &Engine,
    image: &str,
    name: &Option<String>,
    network: &str,
) -> EngineResult<bool> {
    if engine.image_to_pull(image, PullPolicy::Missing)?.is_some() {
        return Ok(false);
    }
    let opts = CreateOptions {
        image: image.to_string(),
        name: name.clone(),
        network: Some(network.to_string()),
        ..CreateOptions::default()
    };
    let c = engine.create_container(&opts)?;
    engine.start_container(c.id())?;
    Ok(true)
}

/// Performs one engine call (all but `RunImage`).
fn call_engine(engine: &Engine, call: &EngineOp) -> EngineResult<()> {
    match call {
        EngineOp::Stop(n) => engine.stop_container(n, None),
        EngineOp::Start(n) => engine.start_container(n),
        EngineOp::Restart(n) => engine.restart_container(n, None),
        EngineOp::Remove {
            name,
            force,
            volumes,
        } => engine.remove_container(name, *force, *volumes),
        EngineOp::TagImage { source, target } => engine.tag_image(source, target),
        EngineOp::RemoveImage { name, force } => engine.remove_image(name, *force).map(|_| ()),
        EngineOp::RunImage {
            image,
            name,
            network,
        } => match run_image(engine, image, name, network)? {
            true => Ok(()),
            false => Err(EngineError::NoSuchImage(image.clone())),
        },
        EngineOp::Signal {
            container,
            pid,
            signal,
        } => engine.signal_process(container, *pid, signal),
        EngineOp::CreateNetwork { .. }
        | EngineOp::RemoveNetwork(_)
        | EngineOp::ConnectNetwork { .. }
        | EngineOp::DisconnectNetwork { .. } => {
            crate::tui::panes::networks::task::call(engine, call)
        }
        EngineOp::CreateVolume(_) | EngineOp::RemoveVolume(_) | EngineOp::PruneVolumes => {
            crate::tui::panes::volumes::task::call(engine, call)
        }
    }
}

/// Writes the command log to its file (atomically), creating the directory.
fn save(text: &str, path: &Path) -> Result<PathBuf, String> {
    let fail = |e: std::io::Error| {
        format!(
            "cannot save the command log to '{}': {e}; check the directory's permissions",
            path.display()
        )
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // A temporary file renamed over the target: never a half-written log.
    crate::engine::write_atomic(path, text.as_bytes()).map_err(|e| {
        format!("cannot save the command log: {e}; check the directory's permissions")
    })?;
    Ok(path.to_path_buf())
}
