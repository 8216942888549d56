//! The pull/push panel of the Images pane: one row per layer with its short id, where it
//! is (waiting, downloading, extracting, done, already there), a gauge and bytes/total.

use crate::engine::human;
use crate::tui::panes::transfer::state::{LayerProgress, Phase, Transfer, TransferKind};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::pane_block;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Widget};

/// Rows the panel wants for `t` (its layers, a header line and the border).
pub fn height(t: &Transfer) -> u16 {
    t.layers.len().max(1) as u16 + 3
}

/// Draws the panel of `t` into `area`.
pub fn render(t: &Transfer, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (cur, total) = t.totals();
    let title = Line::from(format!(
        " {} {} — {}/{} ",
        capitalised(t.kind.doing()),
        t.reference,
        human::size(cur),
        human::size(total)
    ));
    let block = pane_block(title, true, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 {
        return;
    }
    let mut rows = Layout::vertical(vec![Constraint::Length(1); usize::from(inner.height)])
        .split(inner)
        .to_vec()
        .into_iter();
    let Some(head) = rows.next() else { return };
    if !t.resolved && t.layers.is_empty() {
        Paragraph::new(Line::from("resolving the reference…").style(theme.style(Role::Dim)))
            .render(head, buf);
        return;
    }
    let header = Line::from(vec![Span::styled(
        format!("{:<13}{:<13}{}", "LAYER", "STATUS", "PROGRESS"),
        theme.style(Role::Header),
    )]);
    Paragraph::new(header).render(head, buf);
    for (layer, row) in t.layers.iter().zip(rows) {
        render_row(t.kind, layer, theme, row, buf);
    }
}

fn render_row(kind: TransferKind, l: &LayerProgress, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [id, phase, gauge, bytes] = Layout::horizontal([
        Constraint::Length(13),
        Constraint::Length(13),
        Constraint::Fill(1),
        Constraint::Length(28),
    ])
    .areas(area);
    let (label, role) = phase_label(kind, &l.phase);
    Paragraph::new(Line::from(l.id.clone()).style(theme.style(Role::Text))).render(id, buf);
    Paragraph::new(Line::from(label).style(theme.style(role))).render(phase, buf);
    let ratio = match l.phase {
        Phase::Done | Phase::Exists | Phase::Mounted(_) => 1.0,
        _ if l.total == 0 => 0.0,
        _ => (l.current as f64 / l.total as f64).clamp(0.0, 1.0),
    };
    Gauge::default()
        .ratio(ratio)
        .label(format!("{:.0}%", ratio * 100.0))
        .gauge_style(theme.style(Role::Info))
        .style(theme.style(Role::Dim))
        .render(gauge, buf);
    let text = match (&l.phase, l.resumed_from) {
        (Phase::Exists | Phase::Mounted(_), _) => String::new(),
        (_, Some(from)) => format!(
            " {}/{} (resumed at {})",
            human::size(l.current),
            human::size(l.total),
            human::size(from)
        ),
        _ => format!(" {}/{}", human::size(l.current), human::size(l.total)),
    };
    Paragraph::new(Line::from(text).style(theme.style(Role::Text))).render(bytes, buf);
}

fn phase_label(kind: TransferKind, p: &Phase) -> (String, Role) {
    let s = match (p, kind) {
        (Phase::Waiting, _) => "waiting",
        (Phase::Moving, TransferKind::Pull) => "downloading",
        (Phase::Moving, TransferKind::Push) => "uploading",
        (Phase::Extracting, _) => "extracting",
        (Phase::Done, TransferKind::Pull) => "done",
        (Phase::Done, TransferKind::Push) => "pushed",
        (Phase::Exists, _) => "exists",
        (Phase::Mounted(_), _) => "mounted",
    };
    let role = match p {
        Phase::Done | Phase::Exists | Phase::Mounted(_) => Role::Dim,
        _ => Role::Info,
    };
    (s.to_string(), role)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
