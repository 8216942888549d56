//! Messages into the app (`Action`) and requests out of it (`Effect`).
//!
//! Everything that happens — a key, a container list, a log line, an engine call
//! finishing, a clock tick — reaches `App::update` as an `Action`. `update` answers with
//! `Effect`s that the runner performs; their results come back as `Action`s.

use super::keymap::UserAction;
use crate::engine::container::Container;
use crate::engine::observe::logs::LogLine;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key was pressed.
    Key(KeyEvent),
    /// A named action (from a key, or sent directly).
    User(UserAction),
    /// A fresh container list, or why listing failed.
    ContainersListed(Result<Vec<Container>, String>),
    /// Lines from the log follower of `generation`.
    LogLines {
        /// Which follower sent them (stale ones are ignored).
        generation: u64,
        /// The lines, oldest first.
        lines: Vec<LogLine>,
    },
    /// The log follower of `generation` stopped.
    LogEnded {
        /// Which follower.
        generation: u64,
        /// Why, when it failed.
        error: Option<String>,
    },
    /// An engine call finished.
    OpFinished {
        /// What was asked.
        op: EngineOp,
        /// The outcome.
        result: Result<(), String>,
    },
    /// The command log was copied and saved (to this file), or saving failed.
    CommandLogSaved(Result<PathBuf, String>),
    /// The clock moved (uptimes are shown relative to it).
    Tick(DateTime<Utc>),
    /// The terminal changed size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// Leave now (Ctrl-C from a signal, SIGTERM).
    Quit,
}

/// A change to a container, performed by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineOp {
    /// `Engine::stop_container(name, None)`.
    Stop(String),
    /// `Engine::start_container(name)`.
    Start(String),
    /// `Engine::restart_container(name, None)`.
    Restart(String),
    /// `Engine::remove_container(name, force, volumes)`.
    Remove {
        /// The container.
        name: String,
        /// Kill it first if it runs.
        force: bool,
        /// Remove its anonymous volumes.
        volumes: bool,
    },
}

impl EngineOp {
    /// The equivalent command line (`berth rm -f web`).
    pub fn cli_line(&self) -> String {
        match self {
            EngineOp::Stop(n) => format!("berth stop {}", quote(n)),
            EngineOp::Start(n) => format!("berth start {}", quote(n)),
            EngineOp::Restart(n) => format!("berth restart {}", quote(n)),
            EngineOp::Remove {
                name,
                force,
                volumes,
            } => {
                let mut s = "berth rm".to_string();
                if *force {
                    s.push_str(" -f");
                }
                if *volumes {
                    s.push_str(" -v");
                }
                format!("{s} {}", quote(name))
            }
        }
    }
    /// The container it acts on.
    pub fn name(&self) -> &str {
        match self {
            EngineOp::Stop(n) | EngineOp::Start(n) | EngineOp::Restart(n) => n,
            EngineOp::Remove { name, .. } => name,
        }
    }
    /// Past tense for the status bar (`stopped`).
    pub fn done_verb(&self) -> &'static str {
        match self {
            EngineOp::Stop(_) => "stopped",
            EngineOp::Start(_) => "started",
            EngineOp::Restart(_) => "restarted",
            EngineOp::Remove { .. } => "removed",
        }
    }
    /// Progressive for the status bar (`stopping`).
    pub fn doing_verb(&self) -> &'static str {
        match self {
            EngineOp::Stop(_) => "stopping",
            EngineOp::Start(_) => "starting",
            EngineOp::Restart(_) => "restarting",
            EngineOp::Remove { .. } => "removing",
        }
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Something the runner must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List the containers now (besides the periodic refresh).
    RefreshContainers,
    /// Stop the current log follower; start following `container` (if any) as `generation`.
    FollowLogs {
        /// Container name, or none to just stop.
        container: Option<String>,
        /// Tag for the lines it sends.
        generation: u64,
        /// How many past lines to load first.
        tail: usize,
    },
    /// Call the engine.
    Engine(EngineOp),
    /// Copy `text` to the clipboard (OSC 52) and save it to `file`.
    CopyCommandLog {
        /// The command log, one command per line.
        text: String,
        /// Where to save it.
        file: PathBuf,
    },
    /// Leave the dashboard.
    Quit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_lines_match_docker_commands() {
        let rm = EngineOp::Remove {
            name: "web".into(),
            force: true,
            volumes: false,
        };
        assert_eq!(rm.cli_line(), "berth rm -f web");
        assert_eq!(
            EngineOp::Stop("my app".into()).cli_line(),
            "berth stop 'my app'"
        );
        assert_eq!(
            EngineOp::Restart("db_1".into()).cli_line(),
            "berth restart db_1"
        );
    }
}
