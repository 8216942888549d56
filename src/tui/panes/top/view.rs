//! The Top pane: the selected container's processes (host pids), refreshed every second,
//! in the chosen order (its column header is marked).

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::top::state::TopSort;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

/// Draws the process table.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let t = &app.top;
    let selected = app.selected_container();
    let title = match (&t.container, selected) {
        (Some(name), _) => Line::from(format!(
            " Top: {name} ({} processes, sorted by {}){} ",
            t.filter.count(t.visible().len(), t.procs.len()),
            t.sort.label(),
            t.filter.title_suffix()
        )),
        (None, Some(c)) => Line::from(format!(" Top: {} ", c.name())),
        (None, None) => Line::from(" Top "),
    };
    let block = pane_block(title, is_focused(app, Pane::Top), theme);
    let message = match (&t.container, selected) {
        (_, None) => Some("no container selected".to_string()),
        (None, Some(c)) => Some(format!(
            "'{}' is not running: start it to see its processes",
            c.name()
        )),
        (Some(_), _) if t.error.is_some() && t.procs.is_empty() => t
            .error
            .as_ref()
            .map(|e| format!("cannot list the processes: {e}")),
        (Some(_), _) if !t.loaded => Some("loading…".to_string()),
        _ => None,
    };
    if let Some(text) = message {
        let role = if t.error.is_some() {
            Role::Error
        } else {
            Role::Dim
        };
        Paragraph::new(Line::from(text).style(theme.style(role)))
            .block(block)
            .render(area, buf);
        return;
    }
    let mark = |label: &str, by: TopSort| {
        if t.sort == by {
            format!("{label}▼")
        } else {
            label.to_string()
        }
    };
    let header = Row::new([
        mark("PID", TopSort::Pid),
        "USER".to_string(),
        mark("CPU%", TopSort::Cpu),
        mark("RSS", TopSort::Memory),
        "TIME".to_string(),
        "S".to_string(),
        mark("COMMAND", TopSort::Command),
    ])
    .style(theme.style(Role::Header));
    let visible = t.visible();
    let hit = theme.style(Role::SearchMatch);
    let mark = |text: &str| Cell::from(highlight(text, &t.filter.query, Style::default(), hit));
    let rows = visible.iter().map(|i| &t.procs[*i]).map(|p| {
        let secs = p.cpu_seconds;
        Row::new([
            mark(&p.pid.to_string()),
            mark(&p.user),
            Cell::from(format!("{:.1}", p.cpu_percent)),
            Cell::from(human::bytes_size(p.rss_kb * 1024)),
            Cell::from(format!(
                "{:02}:{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )),
            Cell::from(p.state.to_string()),
            mark(&p.command),
        ])
        .style(theme.style(Role::Text))
    });
    let widths = [
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(2),
        Constraint::Fill(1),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    let at = visible.iter().position(|i| *i == t.selected);
    let mut state = TableState::default().with_selected(at);
    StatefulWidget::render(table, area, buf, &mut state);
}
