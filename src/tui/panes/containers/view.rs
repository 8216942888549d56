//! The Containers pane: `docker ps -a` as a table (with each container's published ports
//! and networks), coloured by status, with sparklines of each running container's recent
//! CPU and memory. Columns are sized to their content; on a narrow screen the least
//! important go first (the id, then memory, then networks), named on the bottom border.

use crate::engine::Status;
use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::stats::state::spark;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::table::{Column, Fitted, Size};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Widget};

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
    let focused = is_focused(app, Pane::Containers);
    if visible.is_empty() {
        let text = if !app.containers.list.is_empty() {
            "no container matches the filter (esc clears it)"
        } else if app.containers.listed {
            "no containers: create one with 'berth run -d --name web IMAGE'"
        } else {
            "loading…"
        };
        Paragraph::new(Line::from(text).style(theme.style(Role::Dim)))
            .block(pane_block(title, focused, theme))
            .render(area, buf);
        return;
    }
    let rows_shown: Vec<&crate::engine::Container> =
        visible.iter().map(|i| &app.containers.list[*i]).collect();
    let texts: Vec<[String; 8]> = rows_shown
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
                String::new(),
                String::new(),
            ]
        })
        .collect();
    let fitted = Fitted::new(&columns(), &texts, area, true);
    let block = pane_block(title, focused, theme);
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
            Cell::from(highlight(&fitted.cut(i, &t[i]), &filter.query, base, hit))
        };
        let plain = Style::default();
        fitted
            .row([
                text(0, theme.style(Role::Dim)),
                text(1, plain),
                text(2, plain),
                text(3, theme.style(status_role)),
                text(4, plain),
                text(5, theme.style(Role::Dim)),
                spark_cell(app, c.id(), Metric::Cpu, theme),
                spark_cell(app, c.id(), Metric::Mem, theme),
            ])
            .style(theme.style(Role::Text))
    });
    let at = visible.iter().position(|i| *i == app.containers.selected);
    fitted.render(rows, block, theme, at, (area, buf));
}

/// The table's columns, most important first: the name, the status, the image, the
/// ports, the CPU sparkline, the networks, the memory sparkline, and the id last.
fn columns() -> [Column; 8] {
    [
        Column::new("CONTAINER ID", Size::Whole { cap: 12 }, 7),
        Column::new("NAME", Size::Content { cap: 32, min: 10 }, 0),
        Column::new("IMAGE", Size::Content { cap: 40, min: 10 }, 2),
        Column::new("STATUS", Size::Content { cap: 32, min: 12 }, 1),
        Column::new("PORTS", Size::Whole { cap: 44 }, 3),
        Column::new("NETWORKS", Size::Whole { cap: 24 }, 5),
        Column::new("CPU", Size::Fixed(SPARK as u16 + 7), 4),
        Column::new("MEM", Size::Fixed(SPARK as u16 + 8), 6),
    ]
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
