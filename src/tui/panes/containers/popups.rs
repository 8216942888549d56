//! The Containers pane's popup: removing a container, asked first.

use crate::tui::action::quote;
use crate::tui::app::App;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::confirm::{answer_line, dialog};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws "Remove container 'NAME'?" with the yes and no keys.
pub(crate) fn render_remove(app: &App, name: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::from(format!("Remove container '{name}'?")),
        Line::from(Span::styled(
            format!(
                "It is killed first if it runs (berth rm -f {}).",
                quote(name)
            ),
            theme.style(Role::Dim),
        )),
        Line::from(""),
        answer_line(app, "remove", theme),
    ];
    dialog(lines, theme, area, buf);
}
