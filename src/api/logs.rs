//! `GET /containers/{id}/logs`: the json-file log in Docker's multiplexed stream format
//! (raw for a tty container), with follow, tail, since, until and timestamps.

use super::body::{Handled, channel, multiplexed};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{LogOptions, Stream};
use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Docker's `since`/`until`: Unix seconds, with an optional fraction.
pub fn unix_time(s: &str) -> Result<DateTime<Utc>, ApiError> {
    let bad = || ApiError::bad_request(format!("invalid time '{s}': expected Unix seconds"));
    let (secs, frac) = s.split_once('.').unwrap_or((s, "0"));
    let secs: i64 = secs.parse().map_err(|_| bad())?;
    let nanos: u32 = format!("{frac:0<9}")[..9].parse().map_err(|_| bad())?;
    Utc.timestamp_opt(secs, nanos).single().ok_or_else(bad)
}

/// `GET /containers/{id}/logs?stdout&stderr&follow&tail&since&until&timestamps`.
pub async fn logs(api: &Api, id: &str, t: &Target) -> Handled {
    let (want_out, want_err) = (t.flag("stdout"), t.flag("stderr"));
    if !want_out && !want_err {
        return Err(ApiError::bad_request("you must choose at least one stream"));
    }
    let tail = match t.get("tail").unwrap_or("all") {
        "all" | "" => None,
        n => Some(
            n.parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("invalid tail '{n}'")))?
                .max(0) as usize,
        ),
    };
    let since = t
        .get("since")
        .filter(|s| !s.is_empty() && *s != "0")
        .map(unix_time)
        .transpose()?;
    let until = t
        .get("until")
        .filter(|s| !s.is_empty() && *s != "0")
        .map(unix_time)
        .transpose()?;
    let stamps = t.flag("timestamps");
    let key = id.to_string();
    let c = api.blocking(move |e| e.container(&key)).await?;
    let tty = c.config.tty;
    let kind = if tty {
        "application/vnd.docker.raw-stream"
    } else {
        "application/vnd.docker.multiplexed-stream"
    };
    let (tx, reply) = channel(kind);
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = LogOptions {
        tail,
        since,
        follow: t.flag("follow"),
        cancel: Some(cancel.clone()),
    };
    // The client going away ends a follower even when no new line comes.
    // The watcher lets its sender go when the reader is done, so the body can end.
    let watcher = tx.clone();
    let flag = cancel.clone();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        tokio::select! {
            _ = watcher.closed() => flag.store(true, Ordering::Relaxed),
            _ = done_rx => {}
        }
    });
    let engine = api.engine.clone();
    let id = c.id().to_string();
    let follow = opts.follow;
    // Headers leave once the reader holds the log: at its first line or its end (a client
    // such as docker-py removes the container right after the headers and reads later).
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
    let mut ready_tx = Some(ready_tx);
    tokio::task::spawn_blocking(move || {
        let mut ready = || {
            if let Some(r) = ready_tx.take() {
                let _ = r.send(());
            }
        };
        let _ = engine.logs(&id, &opts, &mut |line| {
            if until.is_some_and(|u| line.timestamp().is_some_and(|t| t > u)) {
                return false;
            }
            let (wanted, kind) = match line.stream {
                Stream::Stdout => (want_out, 1),
                Stream::Stderr => (want_err, 2),
            };
            if !wanted {
                return true;
            }
            let mut text = String::new();
            if stamps {
                let t = line
                    .timestamp()
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Nanos, true))
                    .unwrap_or(line.time.clone());
                text.push_str(&t);
                text.push(' ');
            }
            text.push_str(&line.text);
            let chunk = if tty {
                Bytes::from(text)
            } else {
                multiplexed(kind, text.as_bytes())
            };
            let sent = tx.blocking_send(chunk).is_ok();
            ready();
            sent
        });
        ready();
        drop(tx);
        let _ = done_tx.send(());
    });
    if follow {
        // A follower of a quiet container may wait long for a line: headers go anyway.
        let _ = tokio::time::timeout(std::time::Duration::from_millis(500), ready_rx).await;
    } else {
        let _ = ready_rx.await;
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_take_fractions() {
        let t = unix_time("1700000000.5").expect("time");
        assert_eq!(t.timestamp(), 1_700_000_000);
        assert_eq!(t.timestamp_subsec_millis(), 500);
        assert!(unix_time("yesterday").is_err());
    }
}
