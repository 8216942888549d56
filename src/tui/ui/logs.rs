//! The Logs pane: the selected container's output with its ANSI colours; stderr lines
//! carry a marker and the `log_stderr` colour where the program set none.

use super::{is_focused, pane_block};
use crate::engine::observe::logs::Stream;
use crate::tui::app::{App, Pane};
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Draws the log of the selected container.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let v = &app.logs;
    let mode = if v.ended {
        "ended".to_string()
    } else if v.follow {
        "following".to_string()
    } else {
        format!("paused, {} newer lines", v.offset)
    };
    let title = match v.container.as_deref() {
        Some(name) => Line::from(format!(" Logs: {name} ({mode}) ")),
        None => Line::from(" Logs "),
    };
    let block = pane_block(title, is_focused(app, Pane::Logs), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    let y = inner.y;
    let bottom = inner.y + inner.height;
    if let Some(e) = &v.error {
        let line = Line::from(format!("cannot read the log: {e}")).style(theme.style(Role::Error));
        buf.set_line(inner.x, y, &line, inner.width);
        return;
    }
    if v.lines.is_empty() {
        let text = match (&v.container, v.ended) {
            (None, _) => "no container selected",
            (Some(_), true) => "the log is empty",
            (Some(_), false) => "waiting for output…",
        };
        buf.set_line(
            inner.x,
            y,
            &Line::from(text).style(theme.style(Role::Dim)),
            inner.width,
        );
        return;
    }
    let text_w = inner.width - 2;
    for (y, entry) in (y..bottom).zip(v.visible(inner.height as usize)) {
        let (marker, base) = match entry.stream {
            Stream::Stderr => (
                Span::styled("▌", theme.style(Role::LogStderr)),
                theme.style(Role::LogStderr),
            ),
            Stream::Stdout => (Span::raw(" "), theme.style(Role::Text)),
        };
        buf.set_span(inner.x, y, &marker, 1);
        // Spans keep their own ANSI colours; the base only fills what they leave unset.
        let line = entry.line.clone().style(base);
        buf.set_line(inner.x + 2, y, &line, text_w);
    }
}
