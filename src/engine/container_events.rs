//! One container's events, read from the journal in steps: each read starts where the
//! last one ended ([`JournalCursor`]), so a view that polls every second reads only what
//! was appended since, not the whole journal again (`Engine::events` replays from the
//! start for `since`).

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::events::{Event, EventType};
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};

/// Where a reader of the event journal got to: the bytes of whole lines read so far
/// (the journal is append-only). The default reads from the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JournalCursor(u64);

impl Engine {
    /// The events of container `id` (its full id) recorded after `cursor`, oldest first,
    /// and the cursor after them. A line still being written is left for the next read;
    /// a journal shorter than the cursor (replaced) is read from its start.
    pub fn container_events(
        &self,
        id: &str,
        cursor: JournalCursor,
    ) -> Result<(Vec<Event>, JournalCursor)> {
        let path = self.paths().events();
        let io = |e| EngineError::io(&path, e);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), cursor)),
            Err(e) => return Err(io(e)),
        };
        let len = file.metadata().map_err(io)?.len();
        let mut pos = if cursor.0 > len { 0 } else { cursor.0 };
        file.seek(SeekFrom::Start(pos)).map_err(io)?;
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        let mut events = Vec::new();
        loop {
            line.clear();
            let n = reader.read_line(&mut line).map_err(io)?;
            if n == 0 || !line.ends_with('\n') {
                break;
            }
            pos += n as u64;
            // Most lines are other objects': only those naming the id are parsed.
            if !line.contains(id) {
                continue;
            }
            if let Ok(e) = serde_json::from_str::<Event>(line.trim_end())
                && e.kind == EventType::Container
                && e.id == id
            {
                events.push(e);
            }
        }
        Ok((events, JournalCursor(pos)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::engine_event::EngineEvent;
    use crate::engine::{ContainerId, EngineOptions, EventAction};

    #[test]
    fn reads_one_containers_events_in_steps_and_skips_a_half_written_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
        let (none, start) = engine
            .container_events("aaa", JournalCursor::default())
            .expect("no journal yet");
        assert!(none.is_empty());
        let (a, b) = (
            ContainerId::from_trusted("aaa"),
            ContainerId::from_trusted("bbb"),
        );
        engine.emit(EngineEvent::ContainerStart {
            id: &a,
            name: "web",
        });
        engine.emit(EngineEvent::ContainerStart { id: &b, name: "db" });
        let (got, cursor) = engine.container_events("aaa", start).expect("read");
        assert_eq!(
            got.iter().map(|e| e.action).collect::<Vec<_>>(),
            vec![EventAction::Start]
        );
        engine.emit(EngineEvent::ContainerDie {
            id: &a,
            name: "web",
            exit_code: 3,
        });
        // A line still being written is not read (nor skipped).
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(engine.paths().events())
            .expect("journal");
        f.write_all(br#"{"time":"2026-01-01T00:00:00Z","kind":"container","action":"oom","#)
            .expect("half a line");
        let (got, cursor) = engine.container_events("aaa", cursor).expect("read");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].action, EventAction::Die);
        assert_eq!(
            got[0].attributes.get("exitCode").map(String::as_str),
            Some("3")
        );
        f.write_all(b"\"id\":\"aaa\"}\n").expect("the rest");
        let (got, _) = engine.container_events("aaa", cursor).expect("read");
        assert_eq!(
            got.iter().map(|e| e.action).collect::<Vec<_>>(),
            vec![EventAction::Oom]
        );
    }
}
