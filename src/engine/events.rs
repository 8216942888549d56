//! The event journal: one JSON line per past-tense event, appended to `events.log` by every
//! berth process, so any other process can follow what happened (see `event_stream` for
//! following it).

use crate::engine::Engine;
use crate::engine::engine_event::EngineEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;

/// What kind of object an event is about (Docker's `Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    /// A container.
    Container,
    /// An image.
    Image,
    /// A volume.
    Volume,
    /// A network.
    Network,
}

impl EventType {
    /// Docker's word for it (`container`, `image`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Container => "container",
            EventType::Image => "image",
            EventType::Volume => "volume",
            EventType::Network => "network",
        }
    }

    /// The type named `word`, if any.
    pub fn parse(word: &str) -> Option<EventType> {
        [
            EventType::Container,
            EventType::Image,
            EventType::Volume,
            EventType::Network,
        ]
        .into_iter()
        .find(|t| t.as_str() == word)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened (Docker's `Action`). A journal line with an action berth does not know
/// (written by another version) does not parse, so readers skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum EventAction {
    /// A container was created, or a network.
    Create,
    /// A container's process started.
    Start,
    /// A container's process ended.
    Die,
    /// A container was stopped.
    Stop,
    /// A container was sent a signal.
    Kill,
    /// A container was paused.
    Pause,
    /// A container was unpaused.
    Unpause,
    /// A container was restarted (by hand or by its restart policy).
    Restart,
    /// A container's process was killed for lack of memory.
    Oom,
    /// A container or a network was removed.
    Destroy,
    /// A container was renamed.
    Rename,
    /// A process was started in a container.
    ExecStart,
    /// An image was tagged.
    Tag,
    /// An image lost a tag.
    Untag,
    /// An image was deleted.
    Delete,
    /// A container was connected to a network.
    Connect,
    /// A container was disconnected from a network.
    Disconnect,
    /// A container's healthcheck found it healthy (`health_status: healthy`).
    HealthStatusHealthy,
    /// A container's healthcheck found it unhealthy (`health_status: unhealthy`).
    HealthStatusUnhealthy,
}

/// The named actions and their words.
const ACTIONS: [(EventAction, &str); 19] = [
    (EventAction::Create, "create"),
    (EventAction::Start, "start"),
    (EventAction::Die, "die"),
    (EventAction::Stop, "stop"),
    (EventAction::Kill, "kill"),
    (EventAction::Pause, "pause"),
    (EventAction::Unpause, "unpause"),
    (EventAction::Restart, "restart"),
    (EventAction::Oom, "oom"),
    (EventAction::Destroy, "destroy"),
    (EventAction::Rename, "rename"),
    (EventAction::ExecStart, "exec_start"),
    (EventAction::Tag, "tag"),
    (EventAction::Untag, "untag"),
    (EventAction::Delete, "delete"),
    (EventAction::Connect, "connect"),
    (EventAction::Disconnect, "disconnect"),
    (EventAction::HealthStatusHealthy, "health_status: healthy"),
    (
        EventAction::HealthStatusUnhealthy,
        "health_status: unhealthy",
    ),
];

impl EventAction {
    /// Docker's word for it (`start`, `die`, `exec_start`, ...).
    pub fn as_str(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("", |(_, w)| w)
    }

    /// The action named `word`, if berth knows it.
    pub fn parse(word: &str) -> Option<EventAction> {
        ACTIONS.iter().find(|(_, w)| *w == word).map(|(a, _)| *a)
    }

    /// Whether `--filter event=WORD` selects this action: its word, or as in Docker the
    /// word before the colon of `health_status: healthy` (`event=health_status`).
    pub fn matches_filter(self, word: &str) -> bool {
        let own = self.as_str();
        own == word || own.split_once(':').is_some_and(|(head, _)| head == word)
    }
}

/// A journal word that names no action berth knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event action '{0}'")]
pub struct UnknownAction(pub String);

impl TryFrom<String> for EventAction {
    type Error = UnknownAction;

    fn try_from(word: String) -> Result<EventAction, UnknownAction> {
        EventAction::parse(&word).ok_or(UnknownAction(word))
    }
}

impl From<EventAction> for String {
    fn from(a: EventAction) -> String {
        a.as_str().to_string()
    }
}

impl fmt::Display for EventAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for EventAction {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Something that happened to an object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// When it happened.
    pub time: DateTime<Utc>,
    /// What kind of object it happened to.
    pub kind: EventType,
    /// What happened.
    pub action: EventAction,
    /// The object's id.
    pub id: String,
    /// Extra attributes (name, image, exitCode...).
    #[serde(default)]
    pub attributes: std::collections::BTreeMap<String, String>,
}

impl Engine {
    /// Appends an event to the journal. Failing to record an event never fails the
    /// operation.
    pub(crate) fn emit(&self, event: EngineEvent<'_>) {
        let event = event.into_event();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_keep_their_journal_words() {
        let line = r#"{"time":"2024-01-02T03:04:05Z","kind":"container","action":"exec_start","id":"abc","attributes":{"name":"web"}}"#;
        let e: Event = serde_json::from_str(line).expect("parse");
        assert_eq!(e.kind, EventType::Container);
        assert_eq!(e.action, EventAction::ExecStart);
        assert_eq!(serde_json::to_string(&e).expect("json"), line);
        assert_eq!(EventAction::ExecStart.to_string(), "exec_start");
        for (action, word) in ACTIONS {
            assert_eq!(EventAction::parse(word), Some(action));
            assert_eq!(action.as_str(), word);
        }
    }

    #[test]
    fn journal_lines_with_unknown_actions_are_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine =
            Engine::open(dir.path(), crate::engine::EngineOptions::default()).expect("open");
        std::fs::write(
            engine.paths().events(),
            concat!(
                r#"{"time":"2024-01-02T03:04:05Z","kind":"container","action":"prune","id":"old","attributes":{}}"#,
                "\n"
            ),
        )
        .expect("write");
        engine.emit(EngineEvent::ContainerStart {
            id: &crate::engine::ContainerId::from_trusted("abc"),
            name: "web",
        });
        let got = engine.events_since(None);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, "abc");
        assert_eq!(got[0].action, EventAction::Start);
        assert_eq!(
            got[0].attributes.get("name").map(String::as_str),
            Some("web")
        );
    }
}
