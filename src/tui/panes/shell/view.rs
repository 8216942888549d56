//! The Shell pane: the selected container's shell session drawn by tui-term from the
//! screen its task last sent (colours, cursor, full-screen programs), beside the Logs,
//! Stats or Top pane.

use crate::tui::app::{App, Pane};
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;
use tui_term::widget::{Cursor, PseudoTerminal};

/// The detail rectangle split into the shell (left) and the pane beside it.
pub fn split(detail: Rect) -> (Rect, Rect) {
    let [shell, side] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(detail);
    (shell, side)
}

/// Draws the shown session into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(s) = app.visible_shell() else {
        return;
    };
    let focused = is_focused(app, Pane::Shell);
    let state = match (&s.ended, focused) {
        (Some(why), true) => format!("{why}: press a key to close"),
        (Some(why), false) => why.clone(),
        (None, true) => format!("{} leaves", app.keymap.keys_text(UserAction::LeaveShell)),
        (None, false) => format!(
            "running; {} enters",
            app.keymap.keys_text(match s.kind {
                crate::tui::panes::shell::state::ShellKind::Exec => UserAction::ExecShell,
                crate::tui::panes::shell::state::ShellKind::Attach => UserAction::AttachContainer,
            })
        ),
    };
    let title = Line::from(format!(
        " Shell: {} ({}, {state}) ",
        s.container,
        s.kind.label()
    ));
    let block = pane_block(title, focused, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(screen) = &s.screen else {
        let text = match &s.ended {
            Some(why) => why.as_str(),
            None => "connecting…",
        };
        buf.set_line(
            inner.x,
            inner.y,
            &Line::from(text).style(theme.style(Role::Dim)),
            inner.width,
        );
        return;
    };
    let cursor = Cursor::default()
        .style(theme.style(Role::ShellCursor))
        .visibility(focused && s.ended.is_none() && !screen.hide_cursor());
    PseudoTerminal::new(&**screen)
        .cursor(cursor)
        .render(inner, buf);
}
