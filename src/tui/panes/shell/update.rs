//! `App::update` for the Shell pane: opening (or re-entering) a session, keys passed
//! through to the process, the leave key, screens and ends arriving from the session's
//! task, and the pty following the pane's size.

use crate::tui::action::Effect;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::{Scope, UserAction};
use crate::tui::panes::shell::keys as shell_keys;
use crate::tui::panes::shell::state::{ShellKind, ShellSession};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::sync::Arc;

impl App {
    /// The session the Shell pane shows: the selected container's, while the container
    /// list shows.
    pub fn visible_shell(&self) -> Option<&ShellSession> {
        if self.focus == Pane::Images {
            return None;
        }
        let name = self.selected_container()?.name();
        self.shell.of(name)
    }

    /// Keys while the Shell pane has the focus: every key goes to the process except
    /// `leave_shell`. None when the pane does not have the focus.
    pub(crate) fn shell_key(&mut self, ev: &KeyEvent) -> Option<Vec<Effect>> {
        if self.focus != Pane::Shell || self.popup.is_some() {
            return None;
        }
        let Some(s) = self.visible_shell() else {
            self.focus = Pane::Containers;
            return None;
        };
        let (id, name) = (s.id, s.container.clone());
        let leave = self.keymap.lookup(shell_keys::lookup_key(ev), Scope::Shell)
            == Some(UserAction::LeaveShell);
        if s.ended.is_some() {
            // The process is gone: any key closes the pane.
            self.shell.remove(id);
            self.focus = Pane::Containers;
            self.info(format!("closed the shell of '{name}'"));
            return Some(vec![Effect::CloseShell { session: id }]);
        }
        if leave {
            return Some(self.leave_shell());
        }
        let app_cursor = s.screen.as_ref().is_some_and(|s| s.application_cursor());
        let bytes = shell_keys::encode(ev, app_cursor);
        if bytes.is_empty() {
            return Some(vec![]);
        }
        Some(vec![Effect::ShellInput { session: id, bytes }])
    }

    /// Leaves the Shell pane; the process goes on and the pane stays in view.
    pub(crate) fn leave_shell(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Shell {
            self.focus = Pane::Containers;
            let back = match self.visible_shell().map(|s| s.kind) {
                Some(ShellKind::Attach) => UserAction::AttachContainer,
                _ => UserAction::ExecShell,
            };
            let keys = self.keymap.keys_text(back);
            self.info(format!(
                "left the shell: it keeps running; press {keys} to go back"
            ));
        }
        vec![]
    }

    /// `exec_shell` / `attach_container`: enters the selected container's session of
    /// `kind`, opening it first when there is none.
    pub(crate) fn open_shell(&mut self, kind: ShellKind) -> Vec<Effect> {
        let Some(c) = self.selected_container() else {
            self.error("no container selected");
            return vec![];
        };
        let name = c.name().to_string();
        let leave = self.keymap.keys_text(UserAction::LeaveShell);
        if let Some(s) = self.shell.find(&name, kind) {
            // Most recent last: the pane shows this one.
            let id = s.id;
            if let Some(i) = self.shell.sessions.iter().position(|s| s.id == id) {
                let s = self.shell.sessions.remove(i);
                self.shell.sessions.push(s);
            }
            self.focus = Pane::Shell;
            self.info(format!("back in '{name}' ({leave} leaves)"));
            return vec![];
        }
        if !c.state.status.has_shim() {
            let keys = self.keymap.keys_text(UserAction::StartContainer);
            self.error(format!(
                "container '{name}' is not running: start it first ({keys})"
            ));
            return vec![];
        }
        if kind == ShellKind::Attach && !c.config.open_stdin {
            self.info(format!(
                "'{name}' was not started with -i: its output shows, keys go nowhere ({leave} leaves)"
            ));
        } else {
            self.info(format!("{} ({leave} leaves)", kind.cli_line(&name)));
        }
        let size = self.shell_pty_size();
        let session = self.shell.open(&name, kind, size);
        self.command_log.push(kind.cli_line(&name));
        self.focus = Pane::Shell;
        vec![Effect::OpenShell {
            session,
            container: name,
            kind,
            size,
        }]
    }

    /// A screen from session `session`'s task.
    pub(crate) fn shell_screen(&mut self, session: u64, screen: Arc<vt100::Screen>) -> Vec<Effect> {
        if let Some(s) = self.shell.get_mut(session) {
            s.screen = Some(screen);
        }
        vec![]
    }

    /// Session `session` ended. Shown until a key when the pane has the focus; otherwise
    /// it closes at once.
    pub(crate) fn shell_ended(&mut self, session: u64, why: String) -> Vec<Effect> {
        let shown =
            self.focus == Pane::Shell && self.visible_shell().map(|s| s.id) == Some(session);
        let Some(s) = self.shell.get_mut(session) else {
            return vec![];
        };
        let name = s.container.clone();
        if shown {
            s.ended = Some(why.clone());
            self.info(format!(
                "the shell of '{name}' {why}: press a key to close it"
            ));
            return vec![];
        }
        self.shell.remove(session);
        self.info(format!("the shell of '{name}' {why}"));
        vec![Effect::CloseShell { session }]
    }

    /// The pty size (rows, columns) the Shell pane has now.
    pub(crate) fn shell_pty_size(&self) -> (u16, u16) {
        let area = Rect::new(0, 0, self.shell.width.max(20), self.height.max(10));
        use crate::tui::ui::layout;
        // Not shown yet (being opened, and focused next): where it will go.
        let shell = layout::shell_area(self, area).unwrap_or_else(|| match self.zoomed {
            true => layout::rows(self, area)[0],
            false => crate::tui::panes::shell::view::split(layout::detail_area(self, area)).0,
        });
        (
            shell.height.saturating_sub(2).max(1),
            shell.width.saturating_sub(2).max(1),
        )
    }

    /// Resizes the shown session's pty when its pane changed size.
    pub(crate) fn sync_shell_size(&mut self) -> Vec<Effect> {
        let Some(id) = self
            .visible_shell()
            .filter(|s| s.ended.is_none())
            .map(|s| s.id)
        else {
            return vec![];
        };
        let size = self.shell_pty_size();
        match self.shell.get_mut(id) {
            Some(s) if s.size != size => {
                s.size = size;
                vec![Effect::ShellResize { session: id, size }]
            }
            _ => vec![],
        }
    }
}
