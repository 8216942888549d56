//! Exit codes as they happen, for `wait` with `condition=next-exit` or `removed`: the
//! container may exit and be removed (`--rm`) before a waiter could read its record.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The last exit seen per container id, numbered so a waiter can ask for a newer one.
#[derive(Clone, Default)]
pub struct Exits {
    inner: Arc<(Mutex<Inner>, Notify)>,
}

#[derive(Default)]
struct Inner {
    seq: u64,
    last: HashMap<String, (u64, i32)>,
}

impl Exits {
    /// The number of the last exit recorded for any container (a waiter's starting point).
    pub fn mark(&self) -> u64 {
        self.inner.0.lock().map(|i| i.seq).unwrap_or(0)
    }

    /// Records that container `id` exited with `code`, waking the waiters.
    pub fn record(&self, id: &str, code: i32) {
        if let Ok(mut i) = self.inner.0.lock() {
            i.seq += 1;
            let seq = i.seq;
            i.last.insert(id.to_string(), (seq, code));
        }
        self.inner.1.notify_waiters();
    }

    /// The code of an exit of `id` recorded after `mark`, if any.
    pub fn after(&self, id: &str, mark: u64) -> Option<i32> {
        let i = self.inner.0.lock().ok()?;
        i.last
            .get(id)
            .filter(|(seq, _)| *seq > mark)
            .map(|(_, c)| *c)
    }

    /// Waits until something is recorded or `timeout` passes.
    pub async fn changed(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.inner.1.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exits_after_the_mark_count() {
        let e = Exits::default();
        e.record("a", 1);
        let m = e.mark();
        assert_eq!(e.after("a", m), None);
        e.record("a", 3);
        assert_eq!(e.after("a", m), Some(3));
        assert_eq!(e.after("b", m), None);
    }
}
