//! The Logs pane: the selected container's output (or several containers' merged by
//! time, each line led by its container's name in that container's colour) with its ANSI
//! colours; stderr lines carry a marker and the `log_stderr` colour where the program set
//! none. Search matches are highlighted; lines can be filtered, timed and wrapped.

use crate::engine::Stream;
use crate::tui::app::{App, Pane};
use crate::tui::panes::logs::line::{self as logline, Decor};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// The pane's title: whose log, its mode and the view's switches.
fn title(app: &App) -> Line<'static> {
    let v = &app.logs;
    let mode = if v.ended {
        "ended".to_string()
    } else if v.follow {
        "following".to_string()
    } else {
        format!("paused, {} newer lines", v.offset)
    };
    let who = if !v.merged.is_empty() {
        format!("{} (merged, {mode})", v.merged.join(" + "))
    } else if let Some(name) = v.container.as_deref() {
        format!("{name} ({mode})")
    } else {
        return Line::from(" Logs ");
    };
    let mut flags = Vec::new();
    if let Some(s) = &v.search {
        flags.push(format!("/{s}"));
    }
    if v.filter {
        flags.push("filtered".to_string());
    }
    if v.timestamps {
        flags.push("times".to_string());
    }
    if v.wrap {
        flags.push("wrap".to_string());
    }
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" · {}", flags.join(" · "))
    };
    Line::from(format!(" Logs: {who}{flags} "))
}

/// Draws the log of the selected container.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let v = &app.logs;
    let block = pane_block(title(app), is_focused(app, Pane::Logs), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    let y = inner.y;
    if let Some(e) = &v.error {
        let line = Line::from(format!("cannot read the log: {e}")).style(theme.style(Role::Error));
        buf.set_line(inner.x, y, &line, inner.width);
        return;
    }
    let shown = v.shown_before_view();
    if shown.is_empty() {
        let text = match (&v.container, v.ended) {
            _ if v.filter && !v.lines.is_empty() => "no line matches the search",
            (None, _) if v.merged.is_empty() => "no container selected",
            (_, true) => "the log is empty",
            _ => "waiting for output…",
        };
        buf.set_line(
            inner.x,
            y,
            &Line::from(text).style(theme.style(Role::Dim)),
            inner.width,
        );
        return;
    }
    let text_w = usize::from(inner.width - 2);
    let height = usize::from(inner.height);
    let pattern = v.pattern();
    let current = v.current_index();
    let name_w = v
        .merged
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0);
    // Newest first until the pane is full, then drawn top down.
    let mut rows: Vec<(Span, Vec<Span>)> = Vec::new();
    for &i in shown.iter().rev() {
        let entry = &v.lines[i];
        let (marker, base) = match entry.stream {
            Stream::Stderr => (
                Span::styled("▌", theme.style(Role::LogStderr)),
                theme.style(Role::LogStderr),
            ),
            Stream::Stdout => (Span::raw(" "), theme.style(Role::Text)),
        };
        let decor = Decor {
            names: (!v.merged.is_empty()).then_some((v.merged.as_slice(), name_w)),
            timestamps: v.timestamps,
            search: pattern.as_ref().map(|p| (p, current == Some(i))),
            base,
        };
        // Spans keep their own ANSI colours; the base only fills what they leave unset.
        let spans = logline::spans(entry, &decor, theme);
        let mut entry_rows = if v.wrap {
            logline::wrap(spans, text_w)
        } else {
            vec![spans]
        };
        let first = entry_rows.remove(0);
        let mut this = vec![(marker.clone(), first)];
        this.extend(entry_rows.into_iter().map(|r| (Span::raw(" "), r)));
        for r in this.into_iter().rev() {
            rows.push(r);
        }
        if rows.len() >= height {
            break;
        }
    }
    rows.truncate(height);
    for (y, (marker, spans)) in (inner.y..).zip(rows.into_iter().rev()) {
        buf.set_span(inner.x, y, &marker, 1);
        buf.set_line(inner.x + 2, y, &Line::from(spans), inner.width - 2);
    }
}
