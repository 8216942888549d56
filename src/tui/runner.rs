//! The runner: owns the terminal and the `App`, feeds actions to `update`, performs the
//! effects it returns, and draws at most once per batch of actions.

use super::action::{Action, Effect, EngineOp};
use super::app::App;
use super::tasks::{self, Follower, Tx};
use super::theme::Theme;
use super::ui;
use crate::engine::lifecycle::create::CreateOptions;
use crate::engine::registry::PullPolicy;
use crate::engine::{Engine, EngineError, Result as EngineResult};
use crate::tui::panes::images::layertree;
use crate::tui::panes::images::state as images;
use crate::tui::panes::networks::task::{self as netwatch, NetWatcher};
use crate::tui::panes::shell::task::ShellSessions;
use crate::tui::panes::transfer::state as transfer;
use crossterm::clipboard::CopyToClipboard;
use ratatui::DefaultTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinHandle;

/// Most actions handled between two draws (a burst of log lines still redraws soon).
const BATCH: usize = 2000;

/// Log batches on their way to the app at once (each up to 2000 lines).
const LOG_BATCHES: usize = 4;

/// Whether `a` is a log batch (its permit goes back once handled).
fn log_batch(a: &Action) -> bool {
    matches!(a, Action::LogLines { .. } | Action::MergedLogLines { .. })
}

/// Least time between two draws, unless a key was pressed.
const FRAME: Duration = Duration::from_millis(16);

/// Actions drawn at once: keys, and the Shell pane's screens (their task already sends
/// at most one a frame).
fn urgent(a: &Action) -> bool {
    matches!(a, Action::Key(_) | Action::ShellScreen { .. })
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
    let refresh_now = tasks::spawn_poller(engine.clone(), refresh, tx.clone());
    let mut runner = Runner {
        engine,
        tx,
        follower: None,
        refresh_now,
        sampler: None,
        top: None,
        networks: None,
        shells: ShellSessions::default(),
        merged: Vec::new(),
        log_credit: Arc::new(Semaphore::new(LOG_BATCHES)),
    };
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
                runner.stop_follower();
                runner.stop_watchers();
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
    follower: Option<Follower>,
    refresh_now: Arc<Notify>,
    sampler: Option<JoinHandle<()>>,
    top: Option<JoinHandle<()>>,
    networks: Option<NetWatcher>,
    /// Open shell sessions by id.
    shells: ShellSessions,
    /// The followers of the merged log view.
    merged: Vec<Follower>,
    /// Log batches sent but not yet handled, at most [`LOG_BATCHES`].
    log_credit: Arc<Semaphore>,
}

impl Runner {
    /// Performs one effect; true means quit.
    fn perform(&mut self, effect: Effect, terminal: &mut DefaultTerminal) -> bool {
        let Some(effect) = self.shells.perform(effect, &self.engine, &self.tx) else {
            return false;
        };
        match effect {
            // Performed by `self.shells` above.
            Effect::OpenShell { .. }
            | Effect::ShellInput { .. }
            | Effect::ShellResize { .. }
            | Effect::CloseShell { .. } => {}
            Effect::Quit => return true,
            Effect::RefreshContainers => self.refresh_now.notify_one(),
            Effect::FollowLogs {
                container,
                generation,
                tail,
            } => {
                self.stop_follower();
                if let Some(name) = container {
                    self.follower = Some(Follower::start(
                        self.engine.clone(),
                        name,
                        generation,
                        tail,
                        self.tx.clone(),
                        self.log_credit.clone(),
                    ));
                }
            }
            Effect::Engine(op) => self.engine_call(op),
            Effect::Build { request, network } => crate::tui::panes::build::task::spawn(
                self.engine.clone(),
                request,
                network,
                self.tx.clone(),
            ),
            Effect::ListImages => {
                let (engine, tx) = (self.engine.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let listed = engine
                        .images()
                        .map(images::rows_of)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::ImagesListed(listed));
                });
            }
            Effect::ComputeTree { image_id, layers } => {
                let (engine, tx) = (self.engine.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let dirs: Vec<_> = layers.iter().map(|c| engine.layer_dir(c)).collect();
                    let result = layertree::compute(&dirs).map(Arc::new);
                    let _ = tx.send(Action::TreeComputed { image_id, result });
                });
            }
            Effect::WatchStats(on) => {
                if let Some(t) = self.sampler.take() {
                    t.abort();
                }
                if on {
                    self.sampler = Some(tasks::spawn_stats_sampler(
                        self.engine.clone(),
                        self.tx.clone(),
                    ));
                }
            }
            Effect::WatchTop {
                container,
                generation,
            } => {
                if let Some(t) = self.top.take() {
                    t.abort();
                }
                if let Some(name) = container {
                    self.top = Some(tasks::spawn_top_watcher(
                        self.engine.clone(),
                        name,
                        generation,
                        self.tx.clone(),
                    ));
                }
            }
            Effect::WatchNetworks(on) => {
                if let Some(w) = self.networks.take() {
                    w.task.abort();
                }
                if on {
                    self.networks = Some(netwatch::spawn(self.engine.clone(), self.tx.clone()));
                }
            }
            Effect::RefreshNetworks => {
                if let Some(w) = &self.networks {
                    w.now.notify_one();
                }
            }
            Effect::Transfer {
                kind,
                reference,
                registries,
            } => {
                transfer::spawn(
                    self.engine.clone(),
                    registries,
                    kind,
                    reference,
                    self.tx.clone(),
                );
            }
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
            Effect::FollowMerged {
                containers,
                generation,
                tail,
            } => {
                self.stop_follower();
                for (source, name) in containers.into_iter().enumerate() {
                    self.merged.push(Follower::start_source(
                        self.engine.clone(),
                        name,
                        generation,
                        Some(source),
                        tail,
                        self.tx.clone(),
                        self.log_credit.clone(),
                    ));
                }
            }
            Effect::SaveLog {
                containers,
                file,
                timestamps,
                filter,
            } => {
                let (engine, tx) = (self.engine.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let saved = crate::tui::panes::logs::save::save(
                        &engine,
                        &containers,
                        &file,
                        timestamps,
                        filter.as_deref(),
                    );
                    let _ = tx.send(Action::LogSaved(saved));
                });
            }
        }
        false
    }

    fn stop_watchers(&mut self) {
        for t in [self.sampler.take(), self.top.take()].into_iter().flatten() {
            t.abort();
        }
        if let Some(w) = self.networks.take() {
            w.task.abort();
        }
    }

    fn stop_follower(&mut self) {
        if let Some(f) = self.follower.take() {
            f.stop();
        }
        for f in self.merged.drain(..) {
            f.stop();
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
    crate::engine::store::write_atomic(path, text.as_bytes()).map_err(fail)?;
    Ok(path.to_path_buf())
}
