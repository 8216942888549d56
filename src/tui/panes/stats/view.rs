//! The Stats pane: live charts of the selected container's CPU, memory (against its
//! limit), network and block I/O rates, over a window of the history that the movement
//! keys scroll back.

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::panes::stats::state::Point;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Widget};

/// Seconds shown at once.
pub const WINDOW: usize = 120;

/// Draws the charts of the selected container.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let c = app.selected_container();
    let when = match app.metrics.offset {
        0 => "live".to_string(),
        n => format!(
            "{} ago",
            human::duration(std::time::Duration::from_secs(n as u64)).to_lowercase()
        ),
    };
    let title = match c {
        Some(c) => Line::from(format!(" Stats: {} ({when}) ", c.name())),
        None => Line::from(" Stats "),
    };
    let block = pane_block(title, is_focused(app, Pane::Stats), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(c) = c else {
        hint(buf, inner, "no container selected", theme);
        return;
    };
    let points = app.metrics.window(c.id(), WINDOW);
    if points.is_empty() {
        let text = if c.state.status.has_shim() {
            "waiting for samples…".to_string()
        } else {
            format!("'{}' is not running: start it to see its stats", c.name())
        };
        hint(buf, inner, &text, theme);
        return;
    }
    let [top, bottom] = Layout::vertical([Constraint::Fill(1); 2]).areas(inner);
    let [cpu_a, mem_a] = Layout::horizontal([Constraint::Fill(1); 2]).areas(top);
    let [net_a, blk_a] = Layout::horizontal([Constraint::Fill(1); 2]).areas(bottom);
    let Some(last) = points.last().copied() else {
        return;
    };
    let series = |f: fn(&Point) -> f64| -> Vec<(f64, f64)> {
        let n = points.len();
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64 - (n - 1) as f64, f(p)))
            .collect()
    };
    let cpu = series(|p| p.cpu);
    let cpu_max = cpu.iter().map(|d| d.1).fold(100.0, f64::max);
    chart(
        format!(" CPU {:.1}% ", last.cpu),
        &[("cpu", &cpu, Role::ChartCpu)],
        (cpu_max, format!("{cpu_max:.0}%")),
        theme,
        cpu_a,
        buf,
    );
    let mem = series(|p| p.mem as f64);
    chart(
        format!(
            " Memory {} / {} ({:.1}%) ",
            human::bytes_size(last.mem),
            human::bytes_size(last.mem_limit),
            last.mem_percent()
        ),
        &[("used", &mem, Role::ChartMemory)],
        (last.mem_limit as f64, human::bytes_size(last.mem_limit)),
        theme,
        mem_a,
        buf,
    );
    let (rx, tx) = (series(|p| p.rx), series(|p| p.tx));
    let net_max = rx.iter().chain(&tx).map(|d| d.1).fold(1.0, f64::max);
    chart(
        format!(
            " Net rx {} tx {} ",
            human::rate(last.rx),
            human::rate(last.tx)
        ),
        &[("rx", &rx, Role::ChartRx), ("tx", &tx, Role::ChartTx)],
        (net_max, human::rate(net_max)),
        theme,
        net_a,
        buf,
    );
    let (rd, wr) = (series(|p| p.read), series(|p| p.write));
    let blk_max = rd.iter().chain(&wr).map(|d| d.1).fold(1.0, f64::max);
    chart(
        format!(
            " Block I/O read {} write {} ",
            human::rate(last.read),
            human::rate(last.write)
        ),
        &[
            ("read", &rd, Role::ChartRead),
            ("write", &wr, Role::ChartWrite),
        ],
        (blk_max, human::rate(blk_max)),
        theme,
        blk_a,
        buf,
    );
}

fn hint(buf: &mut Buffer, inner: Rect, text: &str, theme: &Theme) {
    if inner.height > 0 {
        let line = Line::from(text.to_string()).style(theme.style(Role::Dim));
        buf.set_line(inner.x, inner.y, &line, inner.width);
    }
}

/// A named line of a chart and its role.
type Series<'a> = (&'a str, &'a Vec<(f64, f64)>, Role);

/// One chart: its datasets over the window, y from 0 to `max` (labelled `label`).
fn chart(
    title: String,
    sets: &[Series],
    (max, label): (f64, String),
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let datasets = sets
        .iter()
        .map(|(name, data, role)| {
            Dataset::default()
                .name(name.to_string())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.style(*role))
                .data(data)
        })
        .collect();
    let dim = theme.style(Role::Dim);
    let span = WINDOW as f64 - 1.0;
    Chart::new(datasets)
        .block(
            Block::bordered()
                .border_style(theme.style(Role::Border))
                .title(Line::from(title).style(theme.style(Role::Title))),
        )
        .x_axis(
            Axis::default()
                .bounds([-span, 0.0])
                .labels([format!("-{}s", WINDOW), "end".to_string()])
                .style(dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, max.max(1.0)])
                .labels(["0".to_string(), label])
                .style(dim),
        )
        .render(area, buf);
}
