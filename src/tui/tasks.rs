//! Background work that feeds the app: terminal input, the periodic container list, the
//! clock and signals (each sends `Action`s; none touches the state), and what every pane's
//! background side offers the runner ([`PaneTasks`]).

use super::action::{Action, Effect};
use crate::engine::Engine;
use crossterm::event::{Event, EventStream, MouseButton, MouseEvent, MouseEventKind};
use futures_core::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::sync::mpsc::UnboundedSender;
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

/// Lists containers every `every`, and at once when `now` is notified.
pub fn spawn_poller(engine: Engine, every: Duration, tx: Tx) -> Arc<Notify> {
    let every = every.max(Duration::from_millis(50));
    let listing = move || (engine.containers(), engine.network_memberships());
    let sampler = spawn_sampler(every, listing, move |listed| {
        let (listed, memberships) = match listed {
            Ok((l, m)) => (l.map_err(|e| e.to_string()), Some(m)),
            Err(e) => (Err(format!("the listing task failed: {e}")), None),
        };
        if let Some(m) = memberships
            && tx.send(Action::NetworksOfContainers(m)).is_err()
        {
            return false;
        }
        tx.send(Action::ContainersListed(listed)).is_ok()
    });
    sampler.now
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
