//! The Images pane's popup: removing an image, with or without force.

use crate::tui::action::quote;
use crate::tui::app::App;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::confirm::{answer_line, choices, dialog};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Draws "Remove image 'NAME'?" with the force choice.
pub(crate) fn render_remove_image(
    app: &App,
    name: &str,
    force: bool,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let cmd = if force { "berth rmi -f" } else { "berth rmi" };
    let lines = vec![
        Line::from(format!("Remove image '{name}'?")),
        Line::from(Span::styled(
            format!(
                "A reference among several is only untagged ({cmd} {}).",
                quote(name)
            ),
            theme.style(Role::Dim),
        )),
        choices(&["remove", "force (-f)"], usize::from(force), app, theme),
        Line::from(""),
        answer_line(app, "remove", theme),
    ];
    dialog(lines, theme, area, buf);
}
