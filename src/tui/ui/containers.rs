//! The Containers pane: `docker ps -a` as a table, coloured by status, with sparklines of
//! each running container's recent CPU and memory.

use super::{is_focused, pane_block};
use crate::engine::container::Status;
use crate::tui::app::{App, Pane};
use crate::tui::human;
use crate::tui::metrics::spark;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
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
    let title = Line::from(format!(
        " Containers ({}) · sorted by {} ",
        app.containers.len(),
        app.sort.label()
    ));
    let block = pane_block(title, is_focused(app, Pane::Containers), theme);
    if app.containers.is_empty() {
        let text = if app.listed {
            "no containers: create one with 'berth run -d --name web IMAGE'"
        } else {
            "loading…"
        };
        Paragraph::new(Line::from(text).style(theme.style(Role::Dim)))
            .block(block)
            .render(area, buf);
        return;
    }
    let header = Row::new([
        "CONTAINER ID",
        "NAME",
        "IMAGE",
        "STATE",
        "STATUS",
        "CPU",
        "MEM",
    ])
    .style(theme.style(Role::Header));
    let rows = app.containers.iter().map(|c| {
        let role = status_role(c.state.status);
        let status = match app.pending.get(c.name()) {
            Some(op) => Cell::from(format!("{}…", capitalized(op.doing_verb())))
                .style(theme.style(Role::StatusRestarting)),
            None => Cell::from(human::status_text(c, app.now)).style(theme.style(role)),
        };
        Row::new([
            Cell::from(c.config.short_id().to_string()).style(theme.style(Role::Dim)),
            // Marked for the merged log view.
            Cell::from(if app.logs.marked.iter().any(|m| m == c.name()) {
                format!("{} *", c.name())
            } else {
                c.name().to_string()
            }),
            Cell::from(c.config.image.clone()),
            Cell::from(c.state.status.as_str()).style(theme.style(role)),
            status,
            spark_cell(app, c.id(), Metric::Cpu, theme),
            spark_cell(app, c.id(), Metric::Mem, theme),
        ])
        .style(theme.style(Role::Text))
    });
    let widths = [
        Constraint::Length(12),
        Constraint::Fill(2),
        Constraint::Fill(2),
        Constraint::Length(10),
        Constraint::Fill(3),
        Constraint::Length(SPARK as u16 + 7),
        Constraint::Length(SPARK as u16 + 8),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    // A local table state: ratatui scrolls it to show the selection; nothing is kept.
    let mut state = TableState::default().with_selected(Some(app.selected));
    StatefulWidget::render(table, area, buf, &mut state);
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
            human::mem(last.mem),
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
