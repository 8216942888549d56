//! The status bar: the last message (progress, success or error) and key hints.

use crate::tui::app::{App, Level};
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// From this many columns the hints name the filter and the palette too.
const WIDE: u16 = 160;

/// Draws the one-line status bar.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let bar = theme.style(Role::StatusBar);
    buf.set_style(area, bar);
    // In the Shell pane every other key is the shell's.
    let hints = if app.focus == crate::tui::app::Pane::Shell {
        format!(
            " {} leaves the shell ",
            app.keymap.keys_text(UserAction::LeaveShell)
        )
    } else if area.width >= WIDE {
        // Room for the filter and the palette, which a new user would not guess.
        format!(
            " {} help  {} filter  {} commands  {} quit ",
            app.keymap.keys_text(UserAction::Help),
            app.keymap.keys_text(UserAction::FilterList),
            app.keymap.keys_text(UserAction::CommandPalette),
            app.keymap.keys_text(UserAction::Quit)
        )
    } else {
        format!(
            " {} help  {} quit ",
            app.keymap.keys_text(UserAction::Help),
            app.keymap.keys_text(UserAction::Quit)
        )
    };
    let hints_w = (hints.chars().count() as u16).min(area.width);
    let msg_w = area.width.saturating_sub(hints_w + 1);
    if let Some(m) = &app.status {
        let role = match m.level {
            Level::Info => Role::Info,
            Level::Error => Role::Error,
        };
        let line = Line::from(Span::styled(
            format!(" {}", m.text),
            bar.patch(theme.style(role)),
        ));
        buf.set_line(area.x, area.y, &line, msg_w);
    }
    let hint_line = Line::from(Span::styled(hints, bar));
    buf.set_line(area.x + area.width - hints_w, area.y, &hint_line, hints_w);
}
