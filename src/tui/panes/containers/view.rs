//! The Containers pane: `docker ps -a` as a table (with each container's published ports
//! and networks), coloured by status, with sparklines of each running container's recent
//! CPU and memory. Columns are sized to their content; on a narrow screen the least
//! important go first (the id, then memory, then networks).

use crate::engine::Status;
use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::stats::state::spark;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::columns::{self, Want};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

/// The role that colours a status.
pub fn status_role(s: Status) -> Role {
    match s {
        Status::Running => Role::StatusRunning,
        Status::Exited => Role::StatusExited,
        Status::Paused => Role::StatusPaused,
        Status::Created => Role::StatusCreated,
        Status::Restarting => Role::StatusRestarting,
        Status::Removing | Status::Dead => Role::StatusDead,
    }
}

/// `stopping` -> `Stopping`.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Draws the container list; a container the dashboard is changing shows what is being
/// done to it (`Stopping…`) in its STATUS cell until the engine call returns.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let filter = &app.containers.filter;
    let visible = app.containers.visible();
    let title = Line::from(format!(
        " Containers ({}) · sorted by {}{} ",
        filter.count(visible.len(), app.containers.list.len()),
        app.containers.sort.label(),
        filter.title_suffix()
    ));
    let block = pane_block(title, is_focused(app, Pane::Containers), theme);
    if visible.is_empty() {
        let text = if !app.containers.list.is_empty() {
            "no container matches the filter (esc clears it)"
        } else if app.containers.listed {
            "no containers: create one with 'berth run -d --name web IMAGE'"
        } else {
            "loading…"
        };
        Paragraph::new(Line::from(text).style(theme.style(Role::Dim)))
            .block(block)
            .render(area, buf);
        return;
    }
    let rows_shown: Vec<&crate::engine::Container> =
        visible.iter().map(|i| &app.containers.list[*i]).collect();
    let texts: Vec<[String; 6]> = rows_shown
        .iter()
        .zip(&visible)
        .map(|(c, i)| {
            // Under its compose project's tree, or the folded project's summary.
            let name = app.containers.name_cell(*i);
            let name = if app.logs.marked.iter().any(|m| m == c.name()) {
                format!("{name} *")
            } else {
                name
            };
            let status = match app.pending.get(c.name()) {
                Some(op) => format!("{}…", capitalized(op.doing_verb())),
                None => human::container_status_at(c, app.now),
            };
            [
                c.config.short_id().to_string(),
                name,
                c.config.image.clone(),
                status,
                c.config.ports_text(),
                app.containers.memberships.names_of(&c.config),
            ]
        })
        .collect();
    let col = |i: usize| texts.iter().map(move |t| t[i].as_str());
    let wants = [
        Want::content("CONTAINER ID", col(0), 12, 12, 7),
        Want::content("NAME", col(1), 32, 10, 0),
        Want::content("IMAGE", col(2), 40, 10, 2),
        Want::content("STATUS", col(3), 32, 12, 1),
        Want::content("PORTS", col(4), 44, 44, 3),
        Want::content("NETWORKS", col(5), 24, 24, 5),
        fixed(SPARK as u16 + 7, 4),
        fixed(SPARK as u16 + 8, 6),
    ];
    // Borders, the selection mark and one space between columns.
    let inner = area.width.saturating_sub(2 + 2);
    let widths = columns::fit(inner, 1, &wants);
    let headers = [
        "CONTAINER ID",
        "NAME",
        "IMAGE",
        "STATUS",
        "PORTS",
        "NETWORKS",
        "CPU",
        "MEM",
    ];
    let shown = |i: usize| widths[i].is_some();
    let header = Row::new(
        headers
            .iter()
            .enumerate()
            .filter(|(i, _)| shown(*i))
            .map(|(_, h)| Cell::from(*h)),
    )
    .style(theme.style(Role::Header));
    let hit = theme.style(Role::SearchMatch);
    let rows = rows_shown.iter().zip(&texts).map(|(c, t)| {
        let role = status_role(c.state.status);
        let status_role = if app.pending.contains_key(c.name()) {
            Role::StatusRestarting
        } else {
            role
        };
        // Each cell cut to its column, the filter's match highlighted in it.
        let text = |i: usize, base: Style| {
            let cut = columns::cut(&t[i], widths[i].unwrap_or(0));
            Cell::from(highlight(&cut, &filter.query, base, hit))
        };
        let plain = Style::default();
        let cells: [(usize, Cell); 8] = [
            (0, text(0, theme.style(Role::Dim))),
            (1, text(1, plain)),
            (2, text(2, plain)),
            (3, text(3, theme.style(status_role))),
            (4, text(4, plain)),
            (5, text(5, theme.style(Role::Dim))),
            (6, spark_cell(app, c.id(), Metric::Cpu, theme)),
            (7, spark_cell(app, c.id(), Metric::Mem, theme)),
        ];
        Row::new(
            cells
                .into_iter()
                .filter(|(i, _)| shown(*i))
                .map(|(_, cell)| cell),
        )
        .style(theme.style(Role::Text))
    });
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    // A local table state: ratatui scrolls it to show the selection; nothing is kept.
    let at = visible.iter().position(|i| *i == app.containers.selected);
    let mut state = TableState::default().with_selected(at);
    StatefulWidget::render(table, area, buf, &mut state);
}

/// A column of a fixed width (shown whole or not at all).
fn fixed(width: u16, priority: u8) -> Want {
    Want {
        width,
        min: width,
        priority,
    }
}

/// Bars per sparkline (seconds).
const SPARK: usize = 8;

#[derive(Clone, Copy)]
enum Metric {
    Cpu,
    Mem,
}

/// `▁▂▅▇ 12.5%` (CPU) or `▁▁▂▂ 45MiB` (memory, scaled to the limit); empty until two
/// samples arrived.
fn spark_cell<'a>(app: &App, id: &str, m: Metric, theme: &Theme) -> Cell<'a> {
    let points = app.metrics.window_live(id, SPARK);
    let Some(last) = points.last() else {
        return Cell::from("");
    };
    let (values, max, now, role): (Vec<f64>, f64, String, Role) = match m {
        Metric::Cpu => {
            let v: Vec<f64> = points.iter().map(|p| p.cpu).collect();
            let max = v.iter().copied().fold(100.0, f64::max);
            (v, max, format!("{:.1}%", last.cpu), Role::ChartCpu)
        }
        Metric::Mem => (
            points.iter().map(|p| p.mem as f64).collect(),
            last.mem_limit as f64,
            human::bytes_size(last.mem),
            Role::ChartMemory,
        ),
    };
    Cell::from(Line::from(vec![
        Span::styled(
            format!("{:>SPARK$}", spark(&values, max, SPARK)),
            theme.style(role),
        ),
        Span::raw(format!(" {now}")),
    ]))
}
