//! The command log strip: every action taken, as the `berth` command line that does the
//! same, newest last. `copy_command_log` copies it. On a short screen it folds to one
//! line that shows the newest entry.

use super::pane_block;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Draws the newest command-log lines that fit (one line, no border, when `area` is
/// one row high).
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let keys = app.keymap.keys_text(UserAction::CopyCommandLog);
    if area.height == 1 {
        return render_folded(app, theme, &keys, area, buf);
    }
    let title = Line::from(format!(" Command log ({keys}: copy) "));
    let block = pane_block(title, false, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 {
        return;
    }
    if app.command_log.is_empty() {
        let hint = Line::from("actions you take show here as berth commands")
            .style(theme.style(Role::Dim));
        buf.set_line(inner.x, inner.y, &hint, inner.width);
        return;
    }
    let n = inner.height as usize;
    let start = app.command_log.len().saturating_sub(n);
    for (i, cmd) in app.command_log[start..].iter().enumerate() {
        let line = Line::from(cmd.as_str()).style(theme.style(Role::CommandLog));
        buf.set_line(inner.x, inner.y + i as u16, &line, inner.width);
    }
}

/// The folded strip: `Command log (y: copy): ` and the newest entry.
fn render_folded(app: &App, theme: &Theme, keys: &str, area: Rect, buf: &mut Buffer) {
    let (text, role) = match app.command_log.last() {
        Some(cmd) => (cmd.as_str(), Role::CommandLog),
        None => ("your actions, as berth commands", Role::Dim),
    };
    let label = format!(" Command log ({keys}: copy): ");
    // An entry longer than the line ends in `…`.
    let room = usize::from(area.width).saturating_sub(label.chars().count());
    let shown: String = if text.chars().count() > room {
        let mut cut: String = text.chars().take(room.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        text.to_string()
    };
    let line = Line::from(vec![
        Span::styled(label, theme.style(Role::Title)),
        Span::styled(shown, theme.style(role)),
    ]);
    buf.set_line(area.x, area.y, &line, area.width);
}
