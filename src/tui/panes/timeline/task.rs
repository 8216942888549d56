//! The Timeline pane's background side: the watched container's new events read from
//! the journal once a second (each read goes on where the last ended), and its log
//! followed on a thread of its own, again after each restart of the container. Its CPU
//! and memory come from the Stats pane's sampler (see `update.rs`).

use crate::engine::{Engine, JournalCursor, LogLine, LogOptions};
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Sampler, Tx, next_batch, spawn_sampler};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The running watcher, if any: what the runner keeps to perform `WatchTimeline`.
pub struct TimelineTask {
    events: Option<Sampler>,
    logs: Option<Arc<AtomicBool>>,
    /// Log batches in flight, shared with the Logs pane (the runner gives permits back).
    credit: Arc<Semaphore>,
}

impl TimelineTask {
    /// Nothing watched yet; log batches take permits of `credit`.
    pub fn new(credit: Arc<Semaphore>) -> TimelineTask {
        TimelineTask {
            events: None,
            logs: None,
            credit,
        }
    }
}

impl PaneTasks for TimelineTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchTimeline {
            container,
            generation,
            tail,
        } = effect
        else {
            return Some(effect);
        };
        self.stop();
        if let Some(id) = container {
            self.events = Some(watch_events(
                engine.clone(),
                id.clone(),
                generation,
                tx.clone(),
            ));
            let stop = Arc::new(AtomicBool::new(false));
            let (lines_tx, lines_rx) = tokio::sync::mpsc::channel(QUEUED_LINES);
            tokio::spawn(batch_lines(
                lines_rx,
                generation,
                tx.clone(),
                self.credit.clone(),
            ));
            let (engine, flag) = (engine.clone(), stop.clone());
            let spawned = std::thread::Builder::new()
                .name("berth-timeline".into())
                .spawn(move || follow_log(&engine, &id, tail, &flag, &lines_tx));
            if spawned.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            self.logs = Some(stop);
        }
        None
    }

    fn stop(&mut self) {
        if let Some(s) = self.events.take() {
            s.task.abort();
        }
        if let Some(flag) = self.logs.take() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// Reads the container's new events once a second; the first read (the whole journal's)
/// is always sent, later ones only when they have something.
fn watch_events(engine: Engine, id: String, generation: u64, tx: Tx) -> Sampler {
    let cursor = Mutex::new(JournalCursor::default());
    let mut first = true;
    spawn_sampler(
        Duration::from_secs(1),
        move || -> Result<Vec<crate::engine::Event>, String> {
            let mut at = cursor.lock().unwrap_or_else(|p| p.into_inner());
            let (events, next) = engine
                .container_events(&id, *at)
                .map_err(|e| e.to_string())?;
            *at = next;
            Ok(events)
        },
        move |read: Result<Result<Vec<_>, String>, _>| {
            let result = read
                .map_err(|e| format!("reading the events failed: {e}"))
                .and_then(|r| r);
            if !first && result.as_ref().is_ok_and(Vec::is_empty) {
                return true;
            }
            first = false;
            tx.send(Action::TimelineEvents { generation, result })
                .is_ok()
        },
    )
}

/// Lines read ahead of the app at most.
const QUEUED_LINES: usize = 4096;

/// Follows the log of container `id` (its last `tail` lines first) until `stop`: while
/// it runs, then, once it stopped, again from the last line read when it runs again (or
/// ran in between: its record changed).
fn follow_log(
    engine: &Engine,
    id: &str,
    tail: usize,
    stop: &Arc<AtomicBool>,
    lines: &tokio::sync::mpsc::Sender<LogLine>,
) {
    let mut opts = LogOptions {
        tail: Some(tail),
        follow: true,
        cancel: Some(stop.clone()),
        ..LogOptions::default()
    };
    let record = |engine: &Engine| {
        engine.container(id).ok().map(|c| {
            let s = c.state;
            (
                s.status.has_shim(),
                s.started_at,
                s.finished_at,
                s.restart_count,
            )
        })
    };
    while !stop.load(Ordering::Relaxed) {
        let mut last = None;
        let read = engine.logs(id, &opts, &mut |line| {
            last = line.timestamp().or(last);
            !stop.load(Ordering::Relaxed) && lines.blocking_send(line).is_ok()
        });
        if read.is_err() || lines.is_closed() {
            return;
        }
        if let Some(t) = last {
            opts.since = Some(t + chrono::Duration::nanoseconds(1));
        }
        opts.tail = None;
        // Stopped: wait until it runs again, or its record says it ran.
        let seen = record(engine);
        loop {
            for _ in 0..10 {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            match record(engine) {
                None => return,
                Some(now) if now.0 || Some(now) != seen => break,
                Some(_) => {}
            }
        }
    }
}

/// Sends the follower's lines to the app in batches ([`next_batch`]).
async fn batch_lines(
    mut rx: tokio::sync::mpsc::Receiver<LogLine>,
    generation: u64,
    tx: Tx,
    credit: Arc<Semaphore>,
) {
    const MOST: usize = 2000;
    while let Some(lines) = next_batch(&mut rx, MOST, |_| false).await {
        match credit.acquire().await {
            Ok(permit) => permit.forget(),
            Err(_) => return,
        }
        if tx
            .send(Action::TimelineLines { generation, lines })
            .is_err()
        {
            return;
        }
    }
}
