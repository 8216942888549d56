//! The Stats pane: live charts of the selected container's CPU, memory (against its
//! limit), network and block I/O rates, each scaled to its data (a memory limit close to
//! the data drawn as a line), over a window of the history that the movement
//! keys scroll back. Where four charts would be too small to read, one or two show under
//! a tab row, and `next_chart`/`prev_chart` go through them.

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::UserAction;
use crate::tui::panes::stats::scale;
use crate::tui::panes::stats::state::{CHARTS, Point};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
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
    let charts = [
        cpu_chart(&series, &last),
        memory_chart(&series, &last),
        network_chart(&series, &last),
        block_chart(&series, &last),
    ];
    let (tabs, places) = arrange(inner, app.metrics.chart);
    if let Some(tabs) = tabs {
        let shown: Vec<usize> = places.iter().map(|(i, _)| *i).collect();
        tab_row(app, theme, tabs, &shown, buf);
    }
    for (i, place) in places {
        let c = &charts[i];
        let sets: Vec<Series> = c
            .sets
            .iter()
            .map(|(name, data, role)| (*name, data, *role))
            .collect();
        chart(c.title.clone(), &sets, c.scale.clone(), theme, place, buf);
    }
}

/// Rows under which a chart is not drawn (border, axis labels, and four rows of plot).
pub const MIN_CHART_ROWS: u16 = 8;

/// Columns under which two charts do not go side by side.
pub const MIN_CHART_COLS: u16 = 40;

/// Where the charts go in `inner`: all four (a 2x2 grid, a row or a column, whichever
/// fits them at a readable size), or a tab row over one or two of them starting at
/// `chosen` (index into [`CHARTS`]).
pub fn arrange(inner: Rect, chosen: usize) -> (Option<Rect>, Vec<(usize, Rect)>) {
    let cols = (inner.width / MIN_CHART_COLS).max(1);
    let rows = inner.height / MIN_CHART_ROWS;
    let fill = |n: usize| vec![Constraint::Fill(1); n];
    if cols >= 2 && rows >= 2 {
        let [top, bottom] = Layout::vertical([Constraint::Fill(1); 2]).areas(inner);
        let [a, b] = Layout::horizontal([Constraint::Fill(1); 2]).areas(top);
        let [c, d] = Layout::horizontal([Constraint::Fill(1); 2]).areas(bottom);
        return (None, vec![(0, a), (1, b), (2, c), (3, d)]);
    }
    if cols >= 4 && rows >= 1 {
        let r = Layout::horizontal(fill(4)).split(inner);
        return (None, (0..4).map(|i| (i, r[i])).collect());
    }
    if rows >= 4 {
        let r = Layout::vertical(fill(4)).split(inner);
        return (None, (0..4).map(|i| (i, r[i])).collect());
    }
    // Fewer charts, readable, and a tab row saying which.
    let [tabs, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let rows = rest.height / MIN_CHART_ROWS;
    let chosen = chosen % CHARTS.len();
    let next = (chosen + 1) % CHARTS.len();
    let places = if cols >= 2 && rows >= 1 {
        let [a, b] = Layout::horizontal([Constraint::Fill(1); 2]).areas(rest);
        vec![(chosen, a), (next, b)]
    } else if rows >= 2 {
        let [a, b] = Layout::vertical([Constraint::Fill(1); 2]).areas(rest);
        vec![(chosen, a), (next, b)]
    } else {
        vec![(chosen, rest)]
    };
    (Some(tabs), places)
}

/// A chart's label in the tab row (a one-column `│` goes between labels).
fn tab_label(name: &str) -> String {
    format!(" {name} ")
}

/// The chart whose label in the tab row is at column `x`, row `y` of the Stats pane drawn
/// in `area` (none when all charts show, so there is no tab row).
pub fn tab_at(app: &App, area: Rect, x: u16, y: u16) -> Option<usize> {
    let inner = Block::bordered().inner(area);
    let (tabs, _) = arrange(inner, app.metrics.chart);
    let tabs = tabs.filter(|t| t.y == y && x >= t.x)?;
    let mut start = tabs.x;
    for (i, name) in CHARTS.iter().enumerate() {
        let end = start + tab_label(name).chars().count() as u16;
        if x < end {
            return Some(i);
        }
        start = end + 1;
    }
    None
}

/// The tab row: every chart's name, the `shown` ones marked, and the keys that go on.
fn tab_row(app: &App, theme: &Theme, area: Rect, shown: &[usize], buf: &mut Buffer) {
    let mut spans = Vec::new();
    for (i, name) in CHARTS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.style(Role::Dim)));
        }
        let role = if shown.contains(&i) {
            Role::Selection
        } else {
            Role::Text
        };
        spans.push(Span::styled(tab_label(name), theme.style(role)));
    }
    let first = |a| {
        app.keymap
            .keys(a)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    spans.push(Span::styled(
        format!(
            "  {}/{}: other charts",
            first(UserAction::PrevChart),
            first(UserAction::NextChart)
        ),
        theme.style(Role::Dim),
    ));
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

/// A chart line's points: seconds before the end, value.
type Points = Vec<(f64, f64)>;

/// A chart's title, its named lines and its y scale.
struct ChartSpec {
    title: String,
    sets: Vec<(&'static str, Points, Role)>,
    scale: Scale,
}

/// The points of one measure over the window, oldest at the left.
type SeriesOf<'a> = dyn Fn(fn(&Point) -> f64) -> Vec<(f64, f64)> + 'a;

/// The largest value of `sets`.
fn peak(sets: &[&Vec<(f64, f64)>]) -> f64 {
    sets.iter()
        .flat_map(|d| d.iter().map(|p| p.1))
        .fold(0.0, f64::max)
}

fn cpu_chart(series: &SeriesOf, last: &Point) -> ChartSpec {
    let cpu = series(|p| p.cpu);
    ChartSpec {
        title: format!(" CPU {:.1}% ", last.cpu),
        scale: Scale::new(peak(&[&cpu]), 1.0, None, scale::round_ceiling, percent),
        sets: vec![("cpu", cpu, Role::ChartCpu)],
    }
}

fn memory_chart(series: &SeriesOf, last: &Point) -> ChartSpec {
    let mem = series(|p| p.mem as f64);
    let limit = last.mem_limited.then_some(last.mem_limit as f64);
    let title = match limit {
        Some(_) => format!(
            " Memory {} / {} limit ({:.1}%) ",
            human::bytes_size(last.mem),
            human::bytes_size(last.mem_limit),
            last.mem_percent()
        ),
        None => format!(" Memory {} (no limit) ", human::bytes_size(last.mem)),
    };
    ChartSpec {
        title,
        scale: Scale::new(
            peak(&[&mem]),
            1024.0,
            limit,
            scale::power_of_two_ceiling,
            |v| human::bytes_size(v as u64),
        ),
        sets: vec![("used", mem, Role::ChartMemory)],
    }
}

fn network_chart(series: &SeriesOf, last: &Point) -> ChartSpec {
    let (rx, tx) = (series(|p| p.rx), series(|p| p.tx));
    ChartSpec {
        title: format!(
            " Net rx {} tx {} ",
            human::rate(last.rx),
            human::rate(last.tx)
        ),
        scale: Scale::new(
            peak(&[&rx, &tx]),
            1.0,
            None,
            scale::round_ceiling,
            human::rate,
        ),
        sets: vec![("rx", rx, Role::ChartRx), ("tx", tx, Role::ChartTx)],
    }
}

fn block_chart(series: &SeriesOf, last: &Point) -> ChartSpec {
    let (rd, wr) = (series(|p| p.read), series(|p| p.write));
    ChartSpec {
        title: format!(
            " Block I/O read {} write {} ",
            human::rate(last.read),
            human::rate(last.write)
        ),
        scale: Scale::new(
            peak(&[&rd, &wr]),
            1.0,
            None,
            scale::round_ceiling,
            human::rate,
        ),
        sets: vec![
            ("read", rd, Role::ChartRead),
            ("write", wr, Role::ChartWrite),
        ],
    }
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
#[derive(Clone)]
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
