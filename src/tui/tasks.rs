//! Background work that feeds the app: terminal input, the periodic container list, the
//! clock, signals, and the log follower. Each sends `Action`s; none touches the state.

use super::action::Action;
use crate::engine::Engine;
use crate::engine::{LogLine, LogOptions};
use crossterm::event::{Event, EventStream};
use futures_core::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, Semaphore};

/// The channel every task sends into.
pub type Tx = UnboundedSender<Action>;

/// Forwards key presses and resizes from crossterm's event stream (no polling loop).
pub fn spawn_input(tx: Tx) {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let next = std::future::poll_fn(|cx| Pin::new(&mut events).poll_next(cx)).await;
            let action = match next {
                Some(Ok(Event::Key(k))) => Action::Key(k),
                Some(Ok(Event::Resize(width, height))) => Action::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Action::Quit,
            };
            let quit = matches!(action, Action::Quit);
            if tx.send(action).is_err() || quit {
                return;
            }
        }
    });
}

/// Lists containers every `every`, and at once when `now` is notified.
pub fn spawn_poller(engine: Engine, every: Duration, tx: Tx) -> Arc<Notify> {
    let now = Arc::new(Notify::new());
    let wake = now.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every.max(Duration::from_millis(50)));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = wake.notified() => {}
            }
            let e = engine.clone();
            let listed =
                tokio::task::spawn_blocking(move || (e.containers(), e.network_memberships()))
                    .await
                    .map_err(|e| format!("the listing task failed: {e}"));
            let (listed, memberships) = match listed {
                Ok((l, m)) => (l.map_err(|e| e.to_string()), Some(m)),
                Err(e) => (Err(e), None),
            };
            if let Some(m) = memberships
                && tx.send(Action::NetworksOfContainers(m)).is_err()
            {
                return;
            }
            if tx.send(Action::ContainersListed(listed)).is_err() {
                return;
            }
        }
    });
    now
}

/// Sends the time once a second (uptimes move on).
pub fn spawn_ticker(tx: Tx) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        loop {
            interval.tick().await;
            if tx.send(Action::Tick(chrono::Utc::now())).is_err() {
                return;
            }
        }
    });
}

/// Turns SIGINT, SIGTERM and SIGHUP into a clean quit (the terminal is restored).
pub fn spawn_signals(tx: Tx) {
    use tokio::signal::unix::{SignalKind, signal};
    for kind in [
        SignalKind::interrupt(),
        SignalKind::terminate(),
        SignalKind::hangup(),
    ] {
        let tx = tx.clone();
        if let Ok(mut s) = signal(kind) {
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    let _ = tx.send(Action::Quit);
                }
            });
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

/// Sends a follower's lines to the app in batches: all that queued up while the app was
/// busy go as one action (a flood costs one update per batch, not per line), and a
/// line that comes alone goes at once. Its end follows its last lines.
async fn batch_lines(
    mut rx: tokio::sync::mpsc::Receiver<FollowerMsg>,
    generation: u64,
    source: Option<usize>,
    tx: Tx,
    credit: Arc<Semaphore>,
) {
    const MOST: usize = 2000;
    while let Some(first) = rx.recv().await {
        let mut lines = Vec::new();
        let mut end = None;
        let mut next = first;
        loop {
            match next {
                Ok(line) => lines.push(line),
                Err(error) => end = Some(error),
            }
            if end.is_some() || lines.len() >= MOST {
                break;
            }
            match rx.try_recv() {
                Ok(m) => next = m,
                Err(_) => break,
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

/// Samples the stats of every running container once a second until aborted (the
/// runner aborts it when the container list leaves the screen).
pub fn spawn_stats_sampler(engine: Engine, tx: Tx) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let e = engine.clone();
            let sampled = tokio::task::spawn_blocking(move || {
                e.containers()
                    .map(|list| {
                        list.iter()
                            .filter(|c| c.state.status.has_shim())
                            .map(crate::engine::sample_stats)
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .await
            .unwrap_or_default();
            if tx.send(Action::StatsSampled(sampled)).is_err() {
                return;
            }
        }
    })
}

/// Lists `name`'s processes once a second, tagged with `generation`, until aborted.
pub fn spawn_top_watcher(
    engine: Engine,
    name: String,
    generation: u64,
    tx: Tx,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let (e, n) = (engine.clone(), name.clone());
            let result = tokio::task::spawn_blocking(move || e.top(&n))
                .await
                .map_err(|e| format!("the process listing failed: {e}"))
                .and_then(|r| r.map_err(|e| e.to_string()));
            if tx.send(Action::TopListed { generation, result }).is_err() {
                return;
            }
        }
    })
}
