//! The Top pane's popup: sending a signal to a process, the signal chosen in the popup.

use crate::tui::app::App;
use crate::tui::panes::top::state::SIGNALS;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::confirm::{answer_line, choices, dialog};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws "Send SIGNAL to process PID?" with the signal choices.
pub(crate) fn render_signal(
    app: &App,
    (container, pid, command): (&str, i32, &str),
    choice: usize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let signal = SIGNALS.get(choice).copied().unwrap_or("TERM");
    let short: String = command.chars().take(50).collect();
    let lines = vec![
        Line::from(format!(
            "Send SIG{signal} to process {pid} in '{container}'?"
        )),
        Line::from(Span::styled(short, theme.style(Role::Dim))),
        choices(SIGNALS, choice, app, theme),
        Line::from(""),
        answer_line(app, "send", theme),
    ];
    dialog(lines, theme, area, buf);
}
