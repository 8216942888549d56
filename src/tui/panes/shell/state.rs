//! The Shell pane's state: the shell sessions the dashboard holds open (an `exec -it sh`
//! or an `attach` per container), each with the last screen its background task sent.
//!
//! The terminal emulator (a `vt100::Parser`) lives in the session's task, not here: the
//! task keeps it alive while the pane is left, and sends a copy of its screen after
//! output, so re-entering shows the screen as it was and drawing never waits.

use std::sync::Arc;

/// How a session reaches the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellKind {
    /// `berth exec -it NAME sh`: a new shell in the container.
    Exec,
    /// `berth attach NAME`: the container's own process (its terminal, with `-it`).
    Attach,
}

impl ShellKind {
    /// The equivalent command line.
    pub fn cli_line(self, container: &str) -> String {
        let name = crate::tui::op::quote(container);
        match self {
            ShellKind::Exec => format!("berth exec -it {name} sh"),
            ShellKind::Attach => format!("berth attach {name}"),
        }
    }

    /// The pane title's word for it.
    pub fn label(self) -> &'static str {
        match self {
            ShellKind::Exec => "sh",
            ShellKind::Attach => "attached",
        }
    }
}

/// One open session.
#[derive(Debug, Clone)]
pub struct ShellSession {
    /// Its tag in actions and effects.
    pub id: u64,
    /// The container's name.
    pub container: String,
    /// Exec or attach.
    pub kind: ShellKind,
    /// The latest screen from its task (none before the first output).
    pub screen: Option<Arc<vt100::Screen>>,
    /// The pty size last asked for (rows, columns).
    pub size: (u16, u16),
    /// The process ended or the connection failed: what to say about it.
    pub ended: Option<String>,
}

/// Every session, and which one the pane shows.
#[derive(Debug, Clone, Default)]
pub struct ShellView {
    /// Open sessions (and ended ones not yet dismissed).
    pub sessions: Vec<ShellSession>,
    /// The id the next session gets.
    pub next_id: u64,
    /// Terminal columns (the pane's size follows the terminal's).
    pub width: u16,
}

impl ShellView {
    /// The session with `id`.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut ShellSession> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// The session of `container` (the most recent one, whatever its kind).
    pub fn of(&self, container: &str) -> Option<&ShellSession> {
        self.sessions
            .iter()
            .rev()
            .find(|s| s.container == container)
    }

    /// The session of `container` of `kind`.
    pub fn find(&self, container: &str, kind: ShellKind) -> Option<&ShellSession> {
        self.sessions
            .iter()
            .find(|s| s.container == container && s.kind == kind)
    }

    /// Adds a session; returns its id.
    pub fn open(&mut self, container: &str, kind: ShellKind, size: (u16, u16)) -> u64 {
        self.next_id += 1;
        self.sessions.push(ShellSession {
            id: self.next_id,
            container: container.to_string(),
            kind,
            screen: None,
            size,
            ended: None,
        });
        self.next_id
    }

    /// Forgets session `id`.
    pub fn remove(&mut self, id: u64) {
        self.sessions.retain(|s| s.id != id);
    }
}
