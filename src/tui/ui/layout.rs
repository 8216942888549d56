//! Where the panes go: shared by drawing and by `update` (the Shell pane's pty follows
//! the size of its rectangle).

use crate::tui::app::App;
use ratatui::layout::{Constraint, Layout, Rect};

/// The screen's rows: panes, command log, status bar.
pub fn rows(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(5),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The container list over the detail pane, in the panes' row `main` of `area`.
pub fn list_and_detail(app: &App, area: Rect, main: Rect) -> [Rect; 2] {
    let shown = if app.containers.filter.is_active() {
        app.containers.visible().len()
    } else {
        app.containers.list.len()
    };
    let wanted = shown.max(1) as u16 + 3;
    let list_h = wanted.clamp(5, (area.height * 2 / 5).max(5));
    Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(main)
}

/// The detail pane's rectangle on a screen of `area`.
pub fn detail_area(app: &App, area: Rect) -> Rect {
    let [main, _, _] = rows(area);
    list_and_detail(app, area, main)[1]
}
