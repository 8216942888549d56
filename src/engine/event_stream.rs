//! Following the event journal: [`Engine::events`] gives an iterator over the events
//! that match a filter, past ones from `since` on, then new ones as other berth processes
//! record them, until `until`.

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::events::Event;
use chrono::{DateTime, Utc};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::time::Duration;

/// How often the journal is read again while waiting for new events.
const POLL: Duration = Duration::from_millis(100);

/// Docker's `--filter` for events: key=value pairs; values of one key are alternatives,
/// different keys must all match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pairs: Vec<(String, String)>,
}

impl EventFilter {
    /// Parses `key=value` filters (type, event, container, image, volume, network, label).
    pub fn parse(filters: &[String]) -> Result<EventFilter> {
        let mut pairs = Vec::new();
        for f in filters {
            let Some((k, v)) = f.split_once('=') else {
                return Err(EngineError::Invalid(format!(
                    "invalid filter '{f}': use key=value"
                )));
            };
            if !matches!(
                k,
                "type" | "event" | "container" | "image" | "volume" | "network" | "label"
            ) {
                return Err(EngineError::Invalid(format!(
                    "invalid filter '{k}': use type, event, container, image, volume, network or label"
                )));
            }
            pairs.push((k.to_string(), v.to_string()));
        }
        Ok(EventFilter { pairs })
    }

    /// Whether `e` passes the filter.
    pub fn matches(&self, e: &Event) -> bool {
        let mut keys: Vec<&str> = self.pairs.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.iter().all(|k| {
            self.pairs
                .iter()
                .filter(|(fk, _)| fk == k)
                .any(|(_, v)| match *k {
                    "type" => e.kind.as_str() == v,
                    "event" => e.action.matches_filter(v),
                    "container" | "image" | "volume" | "network" => {
                        e.kind.as_str() == *k
                            && (e.id.starts_with(v.as_str()) || e.attributes.get("name") == Some(v))
                    }
                    "label" => match v.split_once('=') {
                        Some((lk, lv)) => e.attributes.get(lk).is_some_and(|x| x == lv),
                        None => e.attributes.contains_key(v.as_str()),
                    },
                    _ => false,
                })
        })
    }
}

/// A subscription to the journal: yields matching events, blocking for new ones, and
/// ends at `until` (never without one).
#[derive(Debug)]
pub struct EventStream {
    reader: BufReader<File>,
    filter: EventFilter,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    start: DateTime<Utc>,
    buf: String,
}

impl Iterator for EventStream {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<io::Result<Event>> {
        match self.next_event() {
            Ok(Some(e)) => Some(Ok(e)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl EventStream {
    fn next_event(&mut self) -> io::Result<Option<Event>> {
        loop {
            self.buf.clear();
            let n = self.reader.read_line(&mut self.buf)?;
            if n > 0 && self.buf.ends_with('\n') {
                if let Ok(e) = serde_json::from_str::<Event>(self.buf.trim_end()) {
                    if self.until.is_some_and(|u| e.time > u) {
                        return Ok(None);
                    }
                    if self.since.is_none_or(|s| e.time >= s) && self.filter.matches(&e) {
                        return Ok(Some(e));
                    }
                }
                continue;
            }
            if n > 0 {
                // A line still being written: read it again whole.
                let pos = self.reader.stream_position()? - n as u64;
                self.reader.seek(SeekFrom::Start(pos))?;
            }
            if self
                .until
                .is_some_and(|u| Utc::now() >= u || u <= self.start)
            {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Engine {
    /// Follows the event journal: with `since`, the events recorded from then on first;
    /// without, only new ones. Ends at `until` (past events after it end the stream too).
    pub fn events(
        &self,
        filter: EventFilter,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<EventStream> {
        let path = self.paths().events();
        let io = |e| EngineError::io(&path, e);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io)?;
        let mut file = File::open(&path).map_err(io)?;
        let start = Utc::now();
        if since.is_none() {
            file.seek(SeekFrom::End(0)).map_err(io)?;
        }
        Ok(EventStream {
            reader: BufReader::new(file),
            filter,
            since,
            until,
            start,
            buf: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::engine_event::EngineEvent;
    use crate::engine::{ContainerId, EngineOptions, NetworkId};

    #[test]
    fn a_stream_replays_matching_events_since_and_ends_at_until() {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        let before = Utc::now();
        engine.emit(EngineEvent::ContainerStart {
            id: &ContainerId::from_trusted("aaa"),
            name: "web",
        });
        engine.emit(EngineEvent::NetworkCreate {
            id: &NetworkId::from_trusted("nnn"),
            name: "front",
        });
        engine.emit(EngineEvent::ContainerDie {
            id: &ContainerId::from_trusted("bbb"),
            name: "db",
            exit_code: 0,
        });
        let filter =
            EventFilter::parse(&["type=container".into(), "container=web".into()]).expect("filter");
        let got: Vec<Event> = engine
            .events(filter, Some(before), Some(Utc::now()))
            .expect("events")
            .collect::<io::Result<_>>()
            .expect("read");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, "aaa");
        assert!(EventFilter::parse(&["nope=1".into()]).is_err());
        assert!(EventFilter::parse(&["type".into()]).is_err());
    }
}
