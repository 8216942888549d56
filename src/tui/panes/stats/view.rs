//! The Stats pane: live charts of the selected container's CPU, memory (against its
//! limit), network and block I/O rates, each scaled to its data (a memory limit close to
//! the data drawn as a line), over a window of the history that the movement
//! keys scroll back.

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::panes::stats::scale;
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
    let peak = |sets: &[&Vec<(f64, f64)>]| {
        sets.iter()
            .flat_map(|d| d.iter().map(|p| p.1))
            .fold(0.0, f64::max)
    };
    let cpu = series(|p| p.cpu);
    chart(
        format!(" CPU {:.1}% ", last.cpu),
        &[("cpu", &cpu, Role::ChartCpu)],
        Scale::new(peak(&[&cpu]), 1.0, None, scale::round_ceiling, percent),
        theme,
        cpu_a,
        buf,
    );
    let mem = series(|p| p.mem as f64);
    let limit = last.mem_limited.then_some(last.mem_limit as f64);
    let mem_title = match limit {
        Some(_) => format!(
            " Memory {} / {} limit ({:.1}%) ",
            human::bytes_size(last.mem),
            human::bytes_size(last.mem_limit),
            last.mem_percent()
        ),
        None => format!(" Memory {} (no limit) ", human::bytes_size(last.mem)),
    };
    chart(
        mem_title,
        &[("used", &mem, Role::ChartMemory)],
        Scale::new(
            peak(&[&mem]),
            1024.0,
            limit,
            scale::power_of_two_ceiling,
            |v| human::bytes_size(v as u64),
        ),
        theme,
        mem_a,
        buf,
    );
    let (rx, tx) = (series(|p| p.rx), series(|p| p.tx));
    chart(
        format!(
            " Net rx {} tx {} ",
            human::rate(last.rx),
            human::rate(last.tx)
        ),
        &[("rx", &rx, Role::ChartRx), ("tx", &tx, Role::ChartTx)],
        Scale::new(
            peak(&[&rx, &tx]),
            1.0,
            None,
            scale::round_ceiling,
            human::rate,
        ),
        theme,
        net_a,
        buf,
    );
    let (rd, wr) = (series(|p| p.read), series(|p| p.write));
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
        Scale::new(
            peak(&[&rd, &wr]),
            1.0,
            None,
            scale::round_ceiling,
            human::rate,
        ),
        theme,
        blk_a,
        buf,
    );
}

/// A percentage for an axis label: one decimal below 10%.
fn percent(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1}%")
    } else {
        format!("{v:.0}%")
    }
}

/// A chart's y axis: its top, its labels, and the limit line when the limit is drawn.
struct Scale {
    top: f64,
    labels: [String; 3],
    limit: Option<f64>,
}

impl Scale {
    /// The scale for data peaking at `peak` (at least `floor` high), with `limit` drawn
    /// when it is close enough to the data; `fmt` writes an axis value.
    fn new(
        peak: f64,
        floor: f64,
        limit: Option<f64>,
        round: fn(f64) -> f64,
        fmt: impl Fn(f64) -> String,
    ) -> Scale {
        let (top, drawn) = scale::y_top(peak, floor, limit, round);
        Scale {
            top,
            labels: ["0".to_string(), fmt(top / 2.0), fmt(top)],
            limit: limit.filter(|_| drawn),
        }
    }
}

fn hint(buf: &mut Buffer, inner: Rect, text: &str, theme: &Theme) {
    if inner.height > 0 {
        let line = Line::from(text.to_string()).style(theme.style(Role::Dim));
        buf.set_line(inner.x, inner.y, &line, inner.width);
    }
}

/// A named line of a chart and its role.
type Series<'a> = (&'a str, &'a Vec<(f64, f64)>, Role);

/// One chart: its datasets over the window on `scale`, the limit (if drawn) as a line in
/// the error colour.
fn chart(
    title: String,
    sets: &[Series],
    scale: Scale,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let span = WINDOW as f64 - 1.0;
    let limit_line: Vec<(f64, f64)> = scale
        .limit
        .map(|l| vec![(-span, l), (0.0, l)])
        .unwrap_or_default();
    let mut datasets: Vec<Dataset> = sets
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
    if !limit_line.is_empty() {
        datasets.push(
            Dataset::default()
                .name("limit")
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.style(Role::Error))
                .data(&limit_line),
        );
    }
    let dim = theme.style(Role::Dim);
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
                .bounds([0.0, scale.top])
                .labels(scale.labels)
                .style(dim),
        )
        .render(area, buf);
}
