//! The Images pane: the image list (one row per reference, with how many containers use
//! each image), and under it the selected image's history beside its layer file tree
//! (below the gauges of a running pull or push).

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::images::state::ImagesFocus;
use crate::tui::panes::images::tree;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

/// Draws the whole Images pane into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [list, gauges, history, files] = areas(app, area);
    if let Some(t) = app.transfer.as_ref().filter(|_| !gauges.is_empty()) {
        crate::tui::panes::transfer::view::render(t, theme, gauges, buf);
    }
    if !list.is_empty() {
        render_list(app, theme, list, buf);
    }
    if !history.is_empty() {
        render_history(app, theme, history, buf);
    }
    if !files.is_empty() {
        tree::render(app, theme, files, buf);
    }
}

/// Where the parts of the pane go in `area`: the list, a running pull's or push's gauges
/// (empty when none runs), the history and the file tree. Zoomed (`z`), the focused part
/// takes all of `area` and the others are empty.
pub fn areas(app: &App, area: Rect) -> [Rect; 4] {
    if app.zoomed {
        let none = Rect { height: 0, ..area };
        return match app.images.focus {
            ImagesFocus::List => [area, none, none, none],
            ImagesFocus::History => [none, none, area, none],
            ImagesFocus::Files => [none, none, none, area],
        };
    }
    let wanted = app.images.visible().len().max(1) as u16 + 3;
    let list_h = wanted.clamp(5, (area.height * 2 / 5).max(5));
    let [list, mut below] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(area);
    let mut gauges = Rect::new(below.x, below.y, below.width, 0);
    if let Some(t) = &app.transfer {
        // A running pull or push takes the top of the lower half (at most all of it).
        let h = crate::tui::panes::transfer::view::height(t).min(below.height);
        let [g, rest] = Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(below);
        gauges = g;
        below = rest;
    }
    let [history, files] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(below);
    [list, gauges, history, files]
}

/// Whether the sub-panel `f` of the Images pane has the focus.
pub fn sub_focused(app: &App, f: ImagesFocus) -> bool {
    is_focused(app, Pane::Images) && app.images.focus == f
}

fn render_list(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let im = &app.images;
    let visible = im.visible();
    let title = Line::from(format!(
        " Images ({}){} ",
        im.filter.count(visible.len(), im.rows.len()),
        im.filter.title_suffix()
    ));
    let block = pane_block(title, sub_focused(app, ImagesFocus::List), theme);
    if visible.is_empty() {
        let (text, role) = match (&im.error, im.listed) {
            _ if !im.rows.is_empty() => (
                "no image matches the filter (esc clears it)".to_string(),
                Role::Dim,
            ),
            (Some(e), _) => (format!("cannot list images: {e}"), Role::Error),
            (None, true) => (
                "no images: pull one with 'berth pull busybox'".to_string(),
                Role::Dim,
            ),
            (None, false) => ("loading…".to_string(), Role::Dim),
        };
        Paragraph::new(Line::from(text).style(theme.style(role)))
            .block(block)
            .render(area, buf);
        return;
    }
    let header = Row::new([
        "REPOSITORY",
        "TAG",
        "IMAGE ID",
        "CREATED",
        "SIZE",
        "CONTAINERS",
    ])
    .style(theme.style(Role::Header));
    let q = &im.filter.query;
    let hit = theme.style(Role::SearchMatch);
    let mark = |text: &str, base: Style| Cell::from(highlight(text, q, base, hit));
    let rows = visible.iter().map(|i| &im.rows[*i]).map(|r| {
        let users = app
            .containers
            .list
            .iter()
            .filter(|c| c.config.image_id == r.image.id)
            .count();
        let in_use = match users {
            0 => Cell::from("unused").style(theme.style(Role::Dim)),
            1 => Cell::from("in use by 1"),
            n => Cell::from(format!("in use by {n}")),
        };
        Row::new([
            mark(&r.repository, Style::default()),
            mark(&r.tag, Style::default()),
            mark(r.image.short_id(), theme.style(Role::Dim)),
            Cell::from(human::ago_at(r.image.created, app.now)),
            Cell::from(human::size(r.image.size)),
            in_use,
        ])
        .style(theme.style(Role::Text))
    });
    let widths = [
        Constraint::Fill(3),
        Constraint::Fill(1),
        Constraint::Length(12),
        Constraint::Length(16),
        Constraint::Length(9),
        Constraint::Length(12),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    let at = visible.iter().position(|i| *i == im.selected);
    let mut state = TableState::default().with_selected(at);
    StatefulWidget::render(table, area, buf, &mut state);
}

fn render_history(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let im = &app.images;
    let Some(row) = im.current() else {
        let block = pane_block(Line::from(" History "), false, theme);
        block.render(area, buf);
        return;
    };
    let title = Line::from(format!(" History: {} ", row.target()));
    let block = pane_block(title, sub_focused(app, ImagesFocus::History), theme);
    let layers = row.row_layers();
    let header =
        Row::new(["LAYER", "CREATED", "CREATED BY", "SIZE"]).style(theme.style(Role::Header));
    let rows = row.history.iter().zip(&layers).map(|(h, layer)| {
        let created = h
            .created
            .map(|t| human::ago_at(t, app.now))
            .unwrap_or_default();
        let (layer, role) = match layer {
            Some(l) => (format!("{}", l + 1), Role::Text),
            None => ("-".to_string(), Role::Dim),
        };
        Row::new([
            Cell::from(layer),
            Cell::from(created),
            Cell::from(crate::engine::printable(&h.created_by).into_owned()),
            Cell::from(human::size(h.size)),
        ])
        .style(theme.style(role))
    });
    let widths = [
        Constraint::Length(5),
        Constraint::Length(14),
        Constraint::Fill(1),
        Constraint::Length(8),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(im.history_selected));
    StatefulWidget::render(table, area, buf, &mut state);
}
