//! The event journal: one JSON line per past-tense event, appended to `events.log` by every
//! berth process, so any other process can follow what happened.

use crate::engine::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Something that happened to an object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// When it happened.
    pub time: DateTime<Utc>,
    /// `container`, `image`, `volume` or `network`.
    pub kind: String,
    /// `create`, `start`, `die`, `stop`, `kill`, `destroy`, `tag`, `delete`, ...
    pub action: String,
    /// The object's id.
    pub id: String,
    /// Extra attributes (name, image, exitCode...).
    #[serde(default)]
    pub attributes: std::collections::BTreeMap<String, String>,
}

impl Engine {
    /// Appends an event to the journal. Failing to record an event never fails the operation.
    pub fn emit(&self, kind: &str, action: &str, id: &str, attributes: &[(&str, &str)]) {
        let event = Event {
            time: Utc::now(),
            kind: kind.into(),
            action: action.into(),
            id: id.into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let Ok(mut line) = serde_json::to_vec(&event) else {
            return;
        };
        line.push(b'\n');
        // One write with O_APPEND: concurrent writers never interleave within a line.
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.paths().events())
        {
            let _ = f.write_all(&line);
        }
    }

    /// Every event recorded so far, oldest first.
    pub fn events_since(&self, since: Option<DateTime<Utc>>) -> Vec<Event> {
        let data = std::fs::read_to_string(self.paths().events()).unwrap_or_default();
        data.lines()
            .filter_map(|l| serde_json::from_str::<Event>(l).ok())
            .filter(|e| since.is_none_or(|s| e.time >= s))
            .collect()
    }
}
