//! The dashboard's state. It is owned by one task and changed only by `App::update`
//! (in `update.rs`); the panes draw it.

use super::action::EngineOp;
use super::keymap::Keymap;
use super::logview::LogView;
use crate::engine::container::Container;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The panes that take the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The container list.
    Containers,
    /// The selected container's log.
    Logs,
}

/// A popup over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key bindings.
    Help,
    /// "Remove container NAME?" waiting for yes or no.
    ConfirmRemove(String),
}

/// How a status-bar message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Progress and success.
    Info,
    /// Something failed.
    Error,
}

/// The status bar's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Info or error.
    pub level: Level,
    /// The text.
    pub text: String,
}

/// Dashboard settings the app needs (from `dashboard.*`).
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Past lines loaded when a log is opened.
    pub log_tail: usize,
    /// Lines kept in the log buffer.
    pub log_buffer: usize,
    /// Where `copy_command_log` saves the command log.
    pub command_log_file: PathBuf,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            log_tail: 500,
            log_buffer: 5000,
            command_log_file: command_log_path(),
        }
    }
}

/// `$XDG_STATE_HOME/berth/command-log.txt`, or `~/.local/state/berth/command-log.txt`.
pub fn command_log_path() -> PathBuf {
    let base = match std::env::var_os("XDG_STATE_HOME") {
        Some(x) if !x.is_empty() => PathBuf::from(x),
        _ => {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            PathBuf::from(home).join(".local").join("state")
        }
    };
    base.join("berth").join("command-log.txt")
}

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct App {
    /// Key bindings in effect.
    pub keymap: Keymap,
    /// Settings.
    pub settings: AppSettings,
    /// The last container list, newest first.
    pub containers: Vec<Container>,
    /// Whether a list has arrived yet.
    pub listed: bool,
    /// Index of the selected container.
    pub selected: usize,
    /// The focused pane.
    pub focus: Pane,
    /// The open popup.
    pub popup: Option<Popup>,
    /// The selected container's log.
    pub logs: LogView,
    /// Every action taken, as the equivalent `berth` command line.
    pub command_log: Vec<String>,
    /// Engine calls still running, by container name (a stop can take its whole grace
    /// period); their rows say so.
    pub pending: BTreeMap<String, EngineOp>,
    /// `quit` was pressed once while engine calls ran; the next `quit` leaves.
    pub quit_armed: bool,
    /// The status bar's message.
    pub status: Option<Message>,
    /// The time uptimes are measured against.
    pub now: DateTime<Utc>,
    /// Terminal rows (for page moves).
    pub height: u16,
}

impl App {
    /// A fresh app with no containers listed yet.
    pub fn new(keymap: Keymap, settings: AppSettings, now: DateTime<Utc>) -> App {
        App {
            keymap,
            logs: LogView::new(settings.log_buffer),
            settings,
            containers: Vec::new(),
            listed: false,
            selected: 0,
            focus: Pane::Containers,
            popup: None,
            command_log: Vec::new(),
            pending: BTreeMap::new(),
            quit_armed: false,
            status: None,
            now,
            height: 24,
        }
    }

    /// The selected container, if any.
    pub fn selected_container(&self) -> Option<&Container> {
        self.containers.get(self.selected)
    }

    /// Sets an informational status message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    /// Sets an error status message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Message {
            level: Level::Error,
            text: text.into(),
        });
    }
}
