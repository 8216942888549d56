//! `GET /events?since&until&filters`: the event journal as Docker's stream of JSON
//! objects, past events from `since` first, then new ones until `until` (or forever).

use super::body::{Handled, channel};
use super::containers::filters;
use super::logs::unix_time;
use super::route::Target;
use super::state::Api;
use crate::engine::{Event, EventFilter};
use bytes::Bytes;
use serde_json::{Value, json};

/// Docker's message for an event (with the legacy `status`/`id`/`from` fields old
/// clients read).
fn message(e: &Event) -> Value {
    let mut v = json!({
        "Type": e.kind,
        "Action": e.action,
        "Actor": { "ID": e.id, "Attributes": e.attributes },
        "scope": "local",
        "time": e.time.timestamp(),
        "timeNano": e.time.timestamp_nanos_opt().unwrap_or(0),
    });
    if e.kind.as_str() == "container" {
        v["status"] = json!(e.action);
        v["id"] = json!(e.id);
        if let Some(image) = e.attributes.get("image") {
            v["from"] = json!(image);
        }
    }
    v
}

/// `GET /events`.
pub async fn events(api: &Api, t: &Target) -> Handled {
    let pairs: Vec<String> = filters(t)?
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let filter = EventFilter::parse(&pairs)?;
    let time = |k: &str| {
        t.get(k)
            .filter(|s| !s.is_empty())
            .map(unix_time)
            .transpose()
    };
    let (since, until) = (time("since")?, time("until")?);
    let stream = api
        .blocking(move |e| e.events(filter, since, until))
        .await?;
    let (tx, reply) = channel("application/json");
    tokio::task::spawn_blocking(move || {
        for e in stream {
            let Ok(e) = e else { break };
            if tx
                .blocking_send(Bytes::from(format!("{}\n", message(&e))))
                .is_err()
            {
                break;
            }
        }
    });
    Ok(reply)
}
