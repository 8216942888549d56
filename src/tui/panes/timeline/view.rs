//! The Timeline pane: one row per event or log line, oldest at the top and newest at the
//! bottom, each with its time; events as coloured markers (start green, die and oom red,
//! restart blue, health yellow) with their attributes (the exit code), log lines dimmed
//! between them, and on the right the CPU (a bar per sample until the next row) and the
//! memory at that time.

use super::merge::{Row, RowKind};
use super::state::TimelineView;
use crate::engine::{Event, EventAction, human};
use crate::tui::app::{App, Pane};
use crate::tui::panes::stats::state::spark;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Bars of CPU drawn per row at most (more on a wide pane).
const BARS: usize = 5;

/// Draws the timeline of the selected container.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let v = &app.timeline;
    let events = v.events.len();
    let title = match app.selected_container() {
        Some(c) if v.loaded => format!(
            " Timeline: {} ({events} event{}, {} log line{}) ",
            c.name(),
            if events == 1 { "" } else { "s" },
            v.logs.len(),
            if v.logs.len() == 1 { "" } else { "s" },
        ),
        Some(c) => format!(" Timeline: {} ", c.name()),
        None => " Timeline ".to_string(),
    };
    let block = pane_block(Line::from(title), is_focused(app, Pane::Timeline), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let message = match (app.selected_container(), &v.error) {
        (None, _) => Some(("no container selected".to_string(), Role::Dim)),
        (_, Some(e)) if v.rows.is_empty() => {
            Some((format!("cannot read the events: {e}"), Role::Error))
        }
        _ if !v.loaded => Some(("reading the container's events…".to_string(), Role::Dim)),
        _ if v.rows.is_empty() => Some((
            "nothing recorded yet: its events and log lines show here".to_string(),
            Role::Dim,
        )),
        _ => None,
    };
    if let Some((text, role)) = message {
        Paragraph::new(Line::from(text).style(theme.style(role))).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height);
    if height == 0 {
        return;
    }
    let top = v.first_shown(height);
    let wide = inner.width >= 100;
    let bars = if inner.width >= 120 { 4 * BARS } else { BARS };
    let stats_w = if inner.width >= 60 { 9 + bars + 10 } else { 0 };
    let cpu_max = v.samples.iter().map(|s| s.cpu).fold(100.0, f64::max);
    for (i, y) in (top..v.rows.len()).zip(inner.y..inner.y + inner.height) {
        let row = &v.rows[i];
        let next = v.rows.get(i + 1).map(|r| r.time);
        let mut spans = vec![Span::styled(
            format!("{} ", time_text(row, wide)),
            theme.style(Role::Dim),
        )];
        spans.extend(entry(v, row, theme));
        let line = Line::from(spans);
        let text_w = inner.width.saturating_sub(stats_w as u16);
        buf.set_line(inner.x, y, &line, text_w);
        if stats_w > 0 {
            let stats = stats_cell(v, (row, next), cpu_max, bars, theme);
            let x = inner.x + text_w;
            buf.set_line(x, y, &stats, stats_w as u16);
        }
        if i == v.selected {
            let rest = Rect {
                x: inner.x,
                y,
                width: text_w,
                height: 1,
            };
            buf.set_style(rest, theme.style(Role::Selection));
        }
    }
}

/// The row's time: UTC to the millisecond (with the date when wide), as `logs -t` has it.
fn time_text(row: &Row, wide: bool) -> String {
    let format = if wide {
        "%m-%d %H:%M:%S%.3f"
    } else {
        "%H:%M:%S%.3f"
    };
    row.time.format(format).to_string()
}

/// The row's marker and text.
fn entry<'a>(v: &'a TimelineView, row: &Row, theme: &Theme) -> Vec<Span<'a>> {
    match row.kind {
        RowKind::Event(i) => {
            let Some(e) = v.events.get(i) else {
                return vec![];
            };
            let (mark, role) = marker(e.action);
            let style = theme.style(role);
            vec![
                Span::styled(format!("{mark} {}", e.action), style),
                Span::styled(details(e), style),
            ]
        }
        RowKind::Log(seq) => match v.line(seq) {
            Some(l) => {
                let role = if l.stderr { Role::LogStderr } else { Role::Dim };
                vec![
                    Span::styled("  │ ", theme.style(Role::Dim)),
                    Span::styled(l.text.as_str(), theme.style(role)),
                ]
            }
            None => vec![],
        },
        RowKind::Fold { hidden } => vec![Span::styled(
            format!("  ┆ … {hidden} more log lines (enter shows them)"),
            theme.style(Role::Dim),
        )],
    }
}

/// The marker of an action and its colour.
fn marker(action: EventAction) -> (&'static str, Role) {
    use EventAction as A;
    match action {
        A::Start | A::Unpause => ("▶", Role::StatusRunning),
        A::Create => ("+", Role::StatusRunning),
        A::Die => ("■", Role::StatusExited),
        A::Oom => ("!", Role::StatusDead),
        A::Restart => ("↻", Role::StatusCreated),
        A::HealthStatusHealthy | A::HealthStatusUnhealthy => ("♥", Role::StatusPaused),
        A::Stop | A::Kill | A::Pause => ("◼", Role::StatusRestarting),
        _ => ("•", Role::Text),
    }
}

/// The attributes worth reading beside an event: the exit code, the signal, the image.
fn details(e: &Event) -> String {
    let get = |k: &str| {
        e.attributes
            .get(k)
            .map(|v| crate::engine::printable(v).into_owned())
    };
    let mut out = String::new();
    if let Some(code) = get("exitCode") {
        out.push_str(&format!("  exit code {code}"));
    }
    if let Some(sig) = get("signal") {
        out.push_str(&format!("  signal {sig}"));
    }
    if e.action == EventAction::Create
        && let Some(image) = get("image")
    {
        out.push_str(&format!("  image {image}"));
    }
    if let Some(cmd) = get("execCommand") {
        out.push_str(&format!("  {cmd}"));
    }
    if let Some(old) = get("oldName") {
        out.push_str(&format!("  was {old}"));
    }
    out
}

/// CPU bars for the samples from this row to the next, the last CPU % and memory.
fn stats_cell<'a>(
    v: &TimelineView,
    (row, next): (&Row, Option<chrono::DateTime<chrono::Utc>>),
    cpu_max: f64,
    bars: usize,
    theme: &Theme,
) -> Line<'a> {
    let during = v.samples_between(row.time, next);
    let current = during.last().or_else(|| {
        v.sample_at(row.time)
            .filter(|s| row.time - s.time <= chrono::Duration::seconds(2))
    });
    let Some(s) = current else {
        return Line::default();
    };
    let cpus: Vec<f64> = during.iter().map(|s| s.cpu).collect();
    let spark = spark(&cpus, cpu_max, bars);
    Line::from(vec![
        Span::styled(format!(" {:>6.1}% ", s.cpu), theme.style(Role::ChartCpu)),
        Span::styled(format!("{spark:<bars$}"), theme.style(Role::ChartCpu)),
        Span::styled(
            format!(" {:>9}", human::bytes_size(s.mem)),
            theme.style(Role::ChartMemory),
        ),
    ])
}
