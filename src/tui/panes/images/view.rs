//! The Images pane: the image list (one row per reference, with how many containers use
//! each image), and under it the selected image's history beside its layer file tree
//! (below the gauges of a running pull or push).

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::images::state::ImagesFocus;
use crate::tui::panes::images::tree;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::columns;
use crate::tui::ui::table::{Column, Fitted, Size};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Widget};

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
    let title = format!(
        " Images ({}){} ",
        im.filter.count(visible.len(), im.rows.len()),
        im.filter.title_suffix()
    );
    if visible.is_empty() {
        let block = pane_block(
            Line::from(title),
            sub_focused(app, ImagesFocus::List),
            theme,
        );
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
    let rows_shown: Vec<_> = visible.iter().map(|i| &im.rows[*i]).collect();
    let texts: Vec<[String; 6]> = rows_shown
        .iter()
        .map(|r| {
            let users = app
                .containers
                .list
                .iter()
                .filter(|c| c.config.image_id == r.image.id)
                .count();
            [
                r.repository.clone(),
                r.tag.clone(),
                r.image.short_id().to_string(),
                human::ago_at(r.image.created, app.now),
                human::size(r.image.size),
                match users {
                    0 => "unused".to_string(),
                    1 => "in use by 1".to_string(),
                    n => format!("in use by {n}"),
                },
            ]
        })
        .collect();
    let fitted = Fitted::new(&list_columns(), &texts, area, true);
    let block = pane_block(
        Line::from(title),
        sub_focused(app, ImagesFocus::List),
        theme,
    );
    let q = &im.filter.query;
    let hit = theme.style(Role::SearchMatch);
    let rows = texts.iter().map(|t| {
        let mark =
            |i: usize, base: Style| Cell::from(highlight(&fitted.cut(i, &t[i]), q, base, hit));
        let plain = |i: usize| Cell::from(fitted.cut(i, &t[i]));
        let in_use = if t[5] == "unused" {
            plain(5).style(theme.style(Role::Dim))
        } else {
            plain(5)
        };
        fitted
            .row([
                mark(0, Style::default()),
                mark(1, Style::default()),
                mark(2, theme.style(Role::Dim)),
                plain(3),
                plain(4),
                in_use,
            ])
            .style(theme.style(Role::Text))
    });
    let at = visible.iter().position(|i| *i == im.selected);
    fitted.render(rows, block, theme, at, (area, buf));
}

/// The list's columns: the repository and the tag never cut while another shows; the
/// creation time goes first, then the users, the size and the id.
fn list_columns() -> [Column; 6] {
    [
        Column::new("REPOSITORY", Size::Content { cap: 64, min: 16 }, 0),
        Column::new("TAG", Size::Content { cap: 40, min: 8 }, 1),
        Column::new("IMAGE ID", Size::Whole { cap: 12 }, 2),
        Column::new("CREATED", Size::Whole { cap: 20 }, 5),
        Column::new("SIZE", Size::Whole { cap: 10 }, 3),
        Column::new("CONTAINERS", Size::Whole { cap: 14 }, 4),
    ]
}

fn render_history(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let im = &app.images;
    let Some(row) = im.current() else {
        let block = pane_block(Line::from(" History "), false, theme);
        block.render(area, buf);
        return;
    };
    let layers = row.row_layers();
    let texts: Vec<[String; 4]> = row
        .history
        .iter()
        .zip(&layers)
        .map(|(h, layer)| {
            [
                layer.map_or_else(|| "-".to_string(), |l| format!("{}", l + 1)),
                h.created
                    .map(|t| human::ago_at(t, app.now))
                    .unwrap_or_default(),
                crate::engine::printable(&h.created_by).into_owned(),
                human::size(h.size),
            ]
        })
        .collect();
    let fitted = Fitted::new(&history_columns(), &texts, area, true);
    // A long reference is cut with an ellipsis rather than at the border.
    let title = format!(" History: {} ", row.target());
    let title = columns::cut(&title, area.width.saturating_sub(2));
    let block = pane_block(
        Line::from(title),
        sub_focused(app, ImagesFocus::History),
        theme,
    );
    let rows = texts.iter().zip(&layers).map(|(t, layer)| {
        let role = if layer.is_some() {
            Role::Text
        } else {
            Role::Dim
        };
        fitted
            .row((0..4).map(|i| Cell::from(fitted.cut(i, &t[i]))))
            .style(theme.style(role))
    });
    fitted.render(rows, block, theme, Some(im.history_selected), (area, buf));
}

/// The history's columns: the step (CREATED BY) takes the width the others leave; the
/// creation time goes first, then the size.
fn history_columns() -> [Column; 4] {
    [
        Column::new("LAYER", Size::Whole { cap: 5 }, 1),
        Column::new("CREATED", Size::Whole { cap: 20 }, 3),
        Column::new("CREATED BY", Size::Rest { min: 16 }, 0),
        Column::new("SIZE", Size::Whole { cap: 10 }, 2),
    ]
}
