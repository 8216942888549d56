//! The Logs pane's background side: the followers of the selected container's log (or of
//! every container of the merged view), their lines sent to the app in batches under a
//! credit of batches in flight, and the save of a whole log on a blocking thread.

use crate::engine::Engine;
use crate::engine::{LogLine, LogOptions};
use crate::tui::action::{Action, Effect};
use crate::tui::panes::logs::save;
use crate::tui::tasks::{PaneTasks, Tx, next_batch};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Semaphore;

/// The running followers of the Logs pane: what the runner keeps to perform its effects.
pub struct LogTasks {
    /// The follower of the selected container's log.
    follower: Option<Follower>,
    /// The followers of the merged log view.
    merged: Vec<Follower>,
    /// Log batches sent but not yet handled (the runner gives permits back).
    credit: Arc<Semaphore>,
}

impl LogTasks {
    /// No follower yet; batches take permits of `credit`.
    pub fn new(credit: Arc<Semaphore>) -> LogTasks {
        LogTasks {
            follower: None,
            merged: Vec::new(),
            credit,
        }
    }
}

impl PaneTasks for LogTasks {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::FollowLogs {
                container,
                generation,
                tail,
            } => {
                self.stop();
                if let Some(name) = container {
                    self.follower = Some(Follower::start(
                        engine.clone(),
                        name,
                        generation,
                        tail,
                        tx.clone(),
                        self.credit.clone(),
                    ));
                }
            }
            Effect::FollowMerged {
                containers,
                generation,
                tail,
            } => {
                self.stop();
                for (source, name) in containers.into_iter().enumerate() {
                    self.merged.push(Follower::start_source(
                        engine.clone(),
                        name,
                        generation,
                        Some(source),
                        tail,
                        tx.clone(),
                        self.credit.clone(),
                    ));
                }
            }
            Effect::SaveLog {
                containers,
                file,
                timestamps,
                filter,
            } => {
                let (engine, tx) = (engine.clone(), tx.clone());
                tokio::task::spawn_blocking(move || {
                    let saved =
                        save::save(&engine, &containers, &file, timestamps, filter.as_deref());
                    let _ = tx.send(Action::LogSaved(saved));
                });
            }
            other => return Some(other),
        }
        None
    }

    fn stop(&mut self) {
        if let Some(f) = self.follower.take() {
            f.stop();
        }
        for f in self.merged.drain(..) {
            f.stop();
        }
    }
}

/// A running log follower; dropping the handle does not stop it, `stop` does.
pub struct Follower {
    stop: Arc<AtomicBool>,
}

impl Follower {
    /// Follows `name`'s log on its own thread (the engine's reader blocks), tagging lines
    /// with `generation`.
    /// Each batch it sends takes a permit of `credit`; the runner gives one back per
    /// batch it has handled, so a flood waits in the log file, not in the channel.
    pub fn start(
        engine: Engine,
        name: String,
        generation: u64,
        tail: usize,
        tx: Tx,
        credit: Arc<Semaphore>,
    ) -> Follower {
        Follower::start_source(engine, name, generation, None, tail, tx, credit)
    }

    /// Like [`start`](Follower::start); with `source`, for the merged view: its lines come
    /// as `MergedLogLines` from that source, and its end is not reported.
    pub fn start_source(
        engine: Engine,
        name: String,
        generation: u64,
        source: Option<usize>,
        tail: usize,
        tx: Tx,
        credit: Arc<Semaphore>,
    ) -> Follower {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // Bounded: a flood waits in the log file, not in memory.
        let (lines_tx, lines_rx) = tokio::sync::mpsc::channel(QUEUED_LINES);
        tokio::spawn(batch_lines(lines_rx, generation, source, tx, credit));
        let spawned = std::thread::Builder::new()
            .name("berth-logs".into())
            .spawn(move || {
                let opts = LogOptions {
                    tail: Some(tail),
                    follow: true,
                    cancel: Some(flag.clone()),
                    ..LogOptions::default()
                };
                let mut sink = |line| {
                    !flag.load(Ordering::Relaxed) && lines_tx.blocking_send(Ok(line)).is_ok()
                };
                let result = engine.logs(&name, &opts, &mut sink);
                if !flag.load(Ordering::Relaxed) {
                    let _ = lines_tx.blocking_send(Err(result.err().map(|e| e.to_string())));
                }
            });
        if spawned.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        Follower { stop }
    }

    /// Stops the follower: its thread sends nothing more and ends within one poll of the
    /// engine's reader (about 50 ms), even when the container stays silent.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Lines a follower reads ahead of the app at most.
const QUEUED_LINES: usize = 4096;

/// What a follower thread passes on: a line, or its end (with the error, if any).
type FollowerMsg = Result<LogLine, Option<String>>;

/// Sends a follower's lines to the app in batches ([`next_batch`]: a flood costs one
/// update per batch, not per line). Its end follows its last lines.
async fn batch_lines(
    mut rx: tokio::sync::mpsc::Receiver<FollowerMsg>,
    generation: u64,
    source: Option<usize>,
    tx: Tx,
    credit: Arc<Semaphore>,
) {
    const MOST: usize = 2000;
    while let Some(batch) = next_batch(&mut rx, MOST, Result::is_err).await {
        let mut lines = Vec::new();
        let mut end = None;
        for m in batch {
            match m {
                Ok(line) => lines.push(line),
                Err(error) => end = Some(error),
            }
        }
        if !lines.is_empty() {
            match credit.acquire().await {
                Ok(permit) => permit.forget(),
                Err(_) => return,
            }
            let action = match source {
                None => Action::LogLines { generation, lines },
                Some(source) => Action::MergedLogLines {
                    generation,
                    source,
                    lines,
                },
            };
            if tx.send(action).is_err() {
                return;
            }
        }
        if let Some(error) = end {
            if source.is_none() {
                let _ = tx.send(Action::LogEnded { generation, error });
            }
            return;
        }
    }
}
