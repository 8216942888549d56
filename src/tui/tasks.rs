//! Background work that feeds the app: terminal input, the container list (read when the
//! engine reports a change), the clock and signals (each sends `Action`s; none touches the state), and what every pane's
//! background side offers the runner ([`PaneTasks`]).

use super::action::{Action, Effect};
use crate::engine::{ChangeWatch, Container, Engine};
use crossterm::event::{Event, EventStream, MouseButton, MouseEvent, MouseEventKind};
use futures_core::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

/// The channel every task sends into.
pub type Tx = UnboundedSender<Action>;

/// A pane's background side, kept by the runner: it performs the effects that belong to
/// its pane (starting and stopping its tasks) and hands any other effect back.
pub trait PaneTasks {
    /// Performs `effect` when it is this pane's (`None`); otherwise returns it.
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect>;

    /// Stops the pane's background tasks (the dashboard is leaving).
    fn stop(&mut self) {}
}

/// Forwards key presses and resizes from crossterm's event stream (no polling loop).
pub fn spawn_input(tx: Tx) {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let next = std::future::poll_fn(|cx| Pin::new(&mut events).poll_next(cx)).await;
            let action = match next {
                Some(Ok(Event::Key(k))) => Action::Key(k),
                Some(Ok(Event::Resize(width, height))) => Action::Resize { width, height },
                // Presses and the wheel only: releases (and any motion a terminal sends
                // anyway) are dropped here, before they could cost a redraw.
                Some(Ok(Event::Mouse(m))) if wanted(&m) => Action::Mouse(m),
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

/// Whether the dashboard acts on mouse event `m`: a left press or the wheel.
fn wanted(m: &MouseEvent) -> bool {
    matches!(
        m.kind,
        MouseEventKind::Down(MouseButton::Left)
            | MouseEventKind::ScrollUp
            | MouseEventKind::ScrollDown
    )
}

/// A task that samples on a blocking thread every period, and at once when woken.
pub struct Sampler {
    /// The sampling task: abort it to stop.
    pub task: JoinHandle<()>,
    /// Wakes it for an immediate sample.
    pub now: Arc<Notify>,
}

/// Runs `sample` on a blocking thread every `every` (a late tick is not made up) and at
/// once when the returned [`Sampler::now`] is notified, handing each result (or the
/// blocking task's failure) to `deliver`, until `deliver` says the receiver is gone.
pub fn spawn_sampler<T: Send + 'static>(
    every: Duration,
    sample: impl Fn() -> T + Send + Sync + 'static,
    mut deliver: impl FnMut(Result<T, tokio::task::JoinError>) -> bool + Send + 'static,
) -> Sampler {
    let now = Arc::new(Notify::new());
    let wake = now.clone();
    let sample = Arc::new(sample);
    let task = tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = wake.notified() => {}
            }
            let s = sample.clone();
            if !deliver(tokio::task::spawn_blocking(move || s()).await) {
                return;
            }
        }
    });
    Sampler { task, now }
}

/// The next batch of what `rx` carries: its next item (waited for), then what already
/// queued behind it, up to `most` items, ending after an item that `ends` says ends the
/// stream; `None` once `rx` is closed and empty. What queued up while the app was busy so
/// costs one update, and an item that comes alone goes at once.
pub async fn next_batch<T>(
    rx: &mut mpsc::Receiver<T>,
    most: usize,
    ends: impl Fn(&T) -> bool,
) -> Option<Vec<T>> {
    let first = rx.recv().await?;
    let mut batch = Vec::new();
    let mut next = first;
    loop {
        let last = ends(&next);
        batch.push(next);
        if last || batch.len() >= most {
            return Some(batch);
        }
        match rx.try_recv() {
            Ok(item) => next = item,
            Err(_) => return Some(batch),
        }
    }
}

/// How often the container list is read again while the engine reports changes: for what
/// inotify cannot see (a shim killed outright still reads `running` until a listing
/// reconciles it).
const SAFETY_TICK: Duration = Duration::from_secs(5);

/// How long a burst of changes (a start writes the state record and the journal several
/// times) is gathered into one listing.
const BURST: Duration = Duration::from_millis(30);

/// The latest container list the poller read, for the tasks that need the containers
/// without reading their records again (the stats sampler).
pub type Listed = watch::Receiver<Arc<Vec<Container>>>;

/// The container poller: wake it for an immediate listing, or read what it listed last.
pub struct Poller {
    /// Wakes it for an immediate listing.
    pub now: Arc<Notify>,
    /// The last list it read.
    pub listed: Listed,
}

/// Lists containers when the engine reports a change under the state root
/// ([`Engine::watch_changes`]) and every [`SAFETY_TICK`], and at once when [`Poller::now`]
/// is notified. Where the state root cannot be watched, every `every` instead.
pub fn spawn_poller(engine: Engine, every: Duration, tx: Tx) -> Poller {
    let changes = engine.watch_changes().ok();
    let period = match changes {
        Some(_) => SAFETY_TICK,
        None => every.max(Duration::from_millis(50)),
    };
    let (publish, listed) = watch::channel(Arc::new(Vec::new()));
    let listing = move || (engine.containers(), engine.network_memberships());
    let sent = tx.clone();
    let sampler = spawn_sampler(period, listing, move |listed| {
        let (listed, memberships) = match listed {
            Ok((l, m)) => (l.map_err(|e| e.to_string()), Some(m)),
            Err(e) => (Err(format!("the listing task failed: {e}")), None),
        };
        if let Ok(list) = &listed {
            publish.send_replace(Arc::new(list.clone()));
        }
        if let Some(m) = memberships
            && sent.send(Action::NetworksOfContainers(m)).is_err()
        {
            return false;
        }
        sent.send(Action::ContainersListed(listed)).is_ok()
    });
    if let Some(changes) = changes {
        spawn_change_watcher(changes, sampler.now.clone(), tx);
    }
    Poller {
        now: sampler.now,
        listed,
    }
}

/// Wakes `now` once per burst of changes `changes` reports, on a thread of its own (the
/// watch blocks), until the dashboard's channel `tx` closes or the watch fails (then the
/// poller's safety tick is all that is left).
fn spawn_change_watcher(mut changes: ChangeWatch, now: Arc<Notify>, tx: Tx) {
    let watcher = move || {
        while !tx.is_closed() {
            match changes.wait(Duration::from_secs(1)) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => return,
            }
            let burst = Instant::now() + BURST;
            while let Some(left) = burst.checked_duration_since(Instant::now()) {
                if left.is_zero() || changes.wait(left).is_err() {
                    break;
                }
            }
            now.notify_one();
        }
    };
    let _ = std::thread::Builder::new()
        .name("berth-changes".into())
        .spawn(watcher);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn batches_take_what_queued_up_to_an_end_or_the_most() {
        let (tx, mut rx) = mpsc::channel(16);
        for i in 1..=6 {
            tx.send(i).await.expect("send");
        }
        drop(tx);
        let is_three = |i: &i32| *i == 3;
        assert_eq!(next_batch(&mut rx, 10, is_three).await, Some(vec![1, 2, 3]));
        assert_eq!(next_batch(&mut rx, 2, is_three).await, Some(vec![4, 5]));
        assert_eq!(next_batch(&mut rx, 2, is_three).await, Some(vec![6]));
        assert_eq!(next_batch(&mut rx, 2, is_three).await, None);
    }

    #[tokio::test]
    async fn a_sampler_samples_at_once_when_woken_and_stops_when_nobody_listens() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        // A period no test waits for: every sample after the first is a wake-up.
        let sampler = spawn_sampler(
            Duration::from_secs(3600),
            || 7,
            move |got: Result<i32, tokio::task::JoinError>| tx.send(got.expect("sample")).is_ok(),
        );
        assert_eq!(rx.recv().await, Some(7), "the first sample comes at once");
        sampler.now.notify_one();
        assert_eq!(rx.recv().await, Some(7), "a wake-up samples again");
        drop(rx);
        sampler.now.notify_one();
        sampler
            .task
            .await
            .expect("the task ends when the receiver is gone");
    }
}
