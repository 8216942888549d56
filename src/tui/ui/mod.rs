//! Drawing: one pure function per pane, `render(app, theme, area, buf)`. Nothing here
//! changes state or calls the engine.

pub mod command_log;
pub mod confirm;
pub mod containers;
pub mod help;
pub mod logs;
pub mod status;

use super::app::{App, Pane, Popup};
use super::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};

/// Draws the whole dashboard into `buf`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let rows = area.height;
    let wanted = app.containers.len().max(1) as u16 + 3;
    let list_h = wanted.clamp(5, (rows * 2 / 5).max(5));
    let [list, log, cmds, status_bar] = Layout::vertical([
        Constraint::Length(list_h),
        Constraint::Min(3),
        Constraint::Length(5),
        Constraint::Length(1),
    ])
    .areas(area);
    containers::render(app, theme, list, buf);
    logs::render(app, theme, log, buf);
    command_log::render(app, theme, cmds, buf);
    status::render(app, theme, status_bar, buf);
    match &app.popup {
        Some(Popup::Help) => help::render(app, theme, area, buf),
        Some(Popup::ConfirmRemove(name)) => confirm::render(app, name, theme, area, buf),
        None => {}
    }
}

/// A pane's frame: title and border in the focused or plain roles.
pub fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let (t, b) = if focused {
        (Role::TitleFocused, Role::BorderFocused)
    } else {
        (Role::Title, Role::Border)
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.style(b))
        .title(title.style(theme.style(t)))
}

/// Whether `pane` has the focus (and no popup hides it).
pub fn is_focused(app: &App, pane: Pane) -> bool {
    app.focus == pane && app.popup.is_none()
}

/// A `w` x `h` rectangle centred in `area` (shrunk to fit).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
