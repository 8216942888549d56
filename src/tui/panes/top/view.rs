//! The Top pane: the selected container's processes (host pids), refreshed every second,
//! in the chosen order (its column header is marked); the command takes the width the
//! other columns leave, and on a narrow pane the state, time and user go first.

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::top::state::TopSort;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::table::{Column, Fitted, Size};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Widget};

/// Draws the process table.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let t = &app.top;
    let selected = app.selected_container();
    let title = match (&t.container, selected) {
        (Some(name), _) => format!(
            " Top: {name} ({} processes, sorted by {}){} ",
            t.filter.count(t.visible().len(), t.procs.len()),
            t.sort.label(),
            t.filter.title_suffix()
        ),
        (None, Some(c)) => format!(" Top: {} ", c.name()),
        (None, None) => " Top ".to_string(),
    };
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
        let block = pane_block(Line::from(title), is_focused(app, Pane::Top), theme);
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
    let columns = [
        Column::new(mark("PID", TopSort::Pid), Size::Whole { cap: 10 }, 0),
        Column::new("USER", Size::Content { cap: 16, min: 4 }, 4),
        Column::new(mark("CPU%", TopSort::Cpu), Size::Whole { cap: 7 }, 2),
        Column::new(mark("RSS", TopSort::Memory), Size::Whole { cap: 10 }, 3),
        Column::new("TIME", Size::Whole { cap: 10 }, 5),
        Column::new("S", Size::Whole { cap: 1 }, 6),
        Column::new(mark("COMMAND", TopSort::Command), Size::Rest { min: 16 }, 1),
    ];
    let visible = t.visible();
    let texts: Vec<[String; 7]> = visible
        .iter()
        .map(|i| &t.procs[*i])
        .map(|p| {
            let secs = p.cpu_seconds;
            [
                p.pid.to_string(),
                p.user.clone(),
                format!("{:.1}", p.cpu_percent),
                human::bytes_size(p.rss_kb * 1024),
                format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
                p.state.to_string(),
                p.command.clone(),
            ]
        })
        .collect();
    let fitted = Fitted::new(&columns, &texts, area, true);
    let block = pane_block(Line::from(title), is_focused(app, Pane::Top), theme);
    let hit = theme.style(Role::SearchMatch);
    let rows = texts.iter().map(|p| {
        let text = |i: usize| fitted.cut(i, &p[i]);
        let lit =
            |i: usize| Cell::from(highlight(&text(i), &t.filter.query, Style::default(), hit));
        fitted
            .row([
                lit(0),
                lit(1),
                Cell::from(text(2)),
                Cell::from(text(3)),
                Cell::from(text(4)),
                Cell::from(text(5)),
                lit(6),
            ])
            .style(theme.style(Role::Text))
    });
    let at = visible.iter().position(|i| *i == t.selected);
    fitted.render(rows, block, theme, at, (area, buf));
}
