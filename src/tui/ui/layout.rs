//! Where the panes go: shared by drawing, mouse hits and `update` (the Shell pane's pty
//! follows the size of its rectangle). The zoomed pane (`z`) takes the panes' rows and the
//! command log's; on a short screen the command log folds to one line.

use crate::tui::app::{App, Pane};
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

/// Below this many rows the command log is one line (its newest entry) instead of five.
pub const FOLD_COMMAND_LOG_BELOW: u16 = 30;

/// Rows of the unfolded command log (border included).
const COMMAND_LOG_ROWS: u16 = 5;

/// Rows the panes keep before the command log gives up its own.
const MIN_PANE_ROWS: u16 = 3;

/// The screen's rows: panes, command log (no rows while a pane is zoomed), status bar
/// (always the last row).
pub fn rows(app: &App, area: Rect) -> [Rect; 3] {
    let status_h = area.height.min(1);
    let above = area.height - status_h;
    let wanted = if app.zoomed {
        0
    } else if area.height < FOLD_COMMAND_LOG_BELOW {
        1
    } else {
        COMMAND_LOG_ROWS
    };
    let cmds_h = wanted.min(above.saturating_sub(MIN_PANE_ROWS));
    let main_h = above - cmds_h;
    let row = |y: u16, height: u16| Rect { y, height, ..area };
    [
        row(area.y, main_h),
        row(area.y + main_h, cmds_h),
        row(area.y + above, status_h),
    ]
}

/// The rectangles of the container list, the Shell pane (when a shell is shown) and the
/// detail pane (Logs, Stats, Top or Changes) in the panes' row `main` of `area`. A pane
/// that is not on screen (another one is zoomed) has an empty rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerPanes {
    /// The container list.
    pub list: Rect,
    /// The Shell pane, beside the detail pane.
    pub shell: Option<Rect>,
    /// The detail pane.
    pub detail: Rect,
}

/// Where the container list, the shell and the detail pane go in `main`.
pub fn container_panes(app: &App, area: Rect, main: Rect) -> ContainerPanes {
    let shell_shown = app.visible_shell().is_some();
    let none = Rect { height: 0, ..main };
    if app.zoomed {
        return match app.focus {
            Pane::Shell if shell_shown => ContainerPanes {
                list: none,
                shell: Some(main),
                detail: Rect { width: 0, ..main },
            },
            Pane::Containers => ContainerPanes {
                list: main,
                shell: shell_shown.then_some(none),
                detail: none,
            },
            _ => ContainerPanes {
                list: none,
                shell: shell_shown.then_some(none),
                detail: main,
            },
        };
    }
    let [list, detail] = list_and_detail(app, area, main);
    if shell_shown {
        let (shell, side) = crate::tui::panes::shell::view::split(detail);
        return ContainerPanes {
            list,
            shell: Some(shell),
            detail: side,
        };
    }
    ContainerPanes {
        list,
        shell: None,
        detail,
    }
}

/// The container list over the detail pane, in the panes' row `main` of `area`: the list
/// as tall as its rows, up to two fifths of `main`, so the detail pane keeps most of a
/// short screen.
pub fn list_and_detail(app: &App, _area: Rect, main: Rect) -> [Rect; 2] {
    let shown = if app.containers.filter.is_active() {
        app.containers.visible().len()
    } else {
        app.containers.list.len()
    };
    let wanted = shown.max(1) as u16 + 3;
    let list_h = wanted.clamp(5, (main.height * 2 / 5).max(5));
    Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(main)
}

/// The detail pane's rectangle on a screen of `area`.
pub fn detail_area(app: &App, area: Rect) -> Rect {
    let [main, _, _] = rows(app, area);
    container_panes(app, area, main).detail
}

/// The Shell pane's rectangle on a screen of `area` (when a shell is shown).
pub fn shell_area(app: &App, area: Rect) -> Option<Rect> {
    let [main, _, _] = rows(app, area);
    container_panes(app, area, main).shell
}

/// Says on the top border of the zoomed pane (`main`) which key restores the layout,
/// right-aligned, where it covers only border cells (never the pane's title).
pub fn mark_zoom(app: &App, theme: &Theme, main: Rect, buf: &mut Buffer) {
    let text = format!(
        " zoomed: {} restores ",
        app.keymap.keys_text(UserAction::ToggleZoom)
    );
    let w = text.chars().count() as u16;
    if main.height == 0 || main.width < w + 2 {
        return;
    }
    let x = main.x + main.width - w - 1;
    let border = (x..x + w).all(|x| matches!(buf[(x, main.y)].symbol(), "─" | "━"));
    if border {
        let line = Line::from(text).style(theme.style(Role::Dim));
        buf.set_line(x, main.y, &line, w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Keymap;
    use crate::tui::testkit::app_with;

    #[test]
    fn status_bar_stays_last_and_command_log_folds_on_short_screens() {
        let mut app = app_with(Keymap::default());
        for (w, h, cmds) in [
            (80, 24, 1),
            (120, 40, 5),
            (120, 30, 5),
            (20, 5, 1),
            (20, 3, 0),
        ] {
            let area = Rect::new(0, 0, w, h);
            let [main, log, status] = rows(&app, area);
            assert_eq!(status.y, h - 1, "{w}x{h}");
            assert_eq!(log.height, cmds, "{w}x{h}");
            assert_eq!(main.height + log.height + status.height, h, "{w}x{h}");
        }
        app.zoomed = true;
        let [main, log, _] = rows(&app, Rect::new(0, 0, 80, 24));
        assert_eq!((main.height, log.height), (23, 0));
    }

    #[test]
    fn the_detail_pane_keeps_most_of_a_24_row_screen() {
        let app = app_with(Keymap::default());
        let area = Rect::new(0, 0, 80, 24);
        let [main, _, _] = rows(&app, area);
        let [list, detail] = list_and_detail(&app, area, main);
        // Four containers: a header, four rows, two borders.
        assert_eq!(list.height, 7);
        assert!(detail.height >= 14, "{detail:?}");
    }
}
