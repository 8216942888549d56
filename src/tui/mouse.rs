//! `App::update` for the mouse (when `dashboard.mouse` is on): a click on a row selects it
//! and focuses its pane, a click on a pane's title (or anywhere in it) focuses the pane,
//! a click on a chart's name in the Stats pane's tab row shows that chart,
//! the wheel scrolls what is under the pointer (a list, the log, the help, a command's
//! output). Where things are comes from the same layout functions the drawing uses.

use super::action::Effect;
use super::app::{App, Pane};
use super::filter::table_offset;
use super::keymap::UserAction;
use super::panes::images::state::ImagesFocus;
use super::panes::images::view as images_view;
use super::panes::networks::view as networks_view;
use super::panes::stats::view as stats_view;
use super::ui::layout;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Lines the wheel moves a log or a popup per notch.
const WHEEL_LINES: isize = 3;

/// What is under the pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spot {
    /// The container list.
    Containers,
    /// The pane under the container list (Logs, Stats or Top).
    Detail(Pane),
    /// The Shell pane beside it.
    Shell,
    /// A part of the Images pane.
    Images(ImagesFocus),
    /// The network list.
    NetworkList,
    /// The Topology pane's drawing.
    Topology,
}

/// Where a click landed in a pane: its title row, a row of its table (counted from the
/// first row shown), or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Title,
    Row(usize),
    Other,
}

impl App {
    /// A mouse press or wheel turn.
    pub(crate) fn mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let wheel: isize = match m.kind {
            MouseEventKind::ScrollUp => -1,
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return vec![],
        };
        if self.palette.open || !self.settings.mouse {
            return vec![];
        }
        if let Some(p) = &self.popup {
            if p.scrolls() && wheel != 0 {
                let a = if wheel < 0 {
                    UserAction::MoveUp
                } else {
                    UserAction::MoveDown
                };
                for _ in 0..WHEEL_LINES {
                    self.user(a);
                }
            }
            return vec![];
        }
        let Some((spot, rect)) = self.spot_at(m.column, m.row) else {
            return vec![];
        };
        self.stop_filter_editing();
        if spot == Spot::Topology {
            // The drawing is no table: a click selects the node under it, the wheel moves.
            return match wheel {
                0 => self.topology_click(rect, m.column, m.row),
                w => self.move_by(w),
            };
        }
        let part = part_of(rect, m.row);
        let mut effects = self.focus_spot(spot);
        if wheel != 0 {
            let lines = match spot {
                Spot::Detail(Pane::Logs) => wheel * WHEEL_LINES,
                _ => wheel,
            };
            if spot != Spot::Shell {
                effects.extend(self.move_by(lines));
            }
            return effects;
        }
        if spot == Spot::Detail(Pane::Stats) {
            // A click on a chart's name in the tab row shows that chart.
            if let Some(i) = stats_view::tab_at(self, rect, m.column, m.row) {
                self.metrics.chart = i;
            }
            return effects;
        }
        if let Part::Row(row) = part {
            effects.extend(self.click_row(spot, rect, row));
        }
        effects
    }

    /// The pane under column `x`, row `y`, and its rectangle.
    fn spot_at(&self, x: u16, y: u16) -> Option<(Spot, Rect)> {
        let area = Rect::new(0, 0, self.width, self.height);
        let [main, _, _] = layout::rows(self, area);
        let at = Position::new(x, y);
        let candidates: Vec<(Spot, Rect)> = match self.focus {
            Pane::Images => {
                let [list, _, history, files] = images_view::areas(self, main);
                vec![
                    (Spot::Images(ImagesFocus::List), list),
                    (Spot::Images(ImagesFocus::History), history),
                    (Spot::Images(ImagesFocus::Files), files),
                ]
            }
            Pane::Networks => {
                let [list, _, _] = networks_view::areas(self, main);
                vec![(Spot::NetworkList, list)]
            }
            Pane::Topology => vec![(Spot::Topology, main)],
            _ => {
                let panes = layout::container_panes(self, area, main);
                let mut out = vec![(Spot::Containers, panes.list)];
                if let Some(sh) = panes.shell {
                    out.push((Spot::Shell, sh));
                }
                out.push((Spot::Detail(self.detail), panes.detail));
                out
            }
        };
        candidates.into_iter().find(|(_, r)| r.contains(at))
    }

    /// Gives `spot` the focus (as its keys would).
    fn focus_spot(&mut self, spot: Spot) -> Vec<Effect> {
        match spot {
            Spot::Containers => self.focus = Pane::Containers,
            Spot::Detail(p) => self.focus = p,
            Spot::Shell => self.focus = Pane::Shell,
            Spot::Images(f) => self.images.focus = f,
            Spot::NetworkList | Spot::Topology => {}
        }
        vec![]
    }

    /// Selects the `row`-th row shown in the table of `spot` (drawn in `rect`).
    fn click_row(&mut self, spot: Spot, rect: Rect, row: usize) -> Vec<Effect> {
        // Borders and the header take three of the table's lines.
        let height = usize::from(rect.height.saturating_sub(3));
        let pick = |visible: Vec<usize>, selected: usize| {
            let at = visible.iter().position(|i| *i == selected);
            visible.get(table_offset(at, height) + row).copied()
        };
        match spot {
            Spot::Containers => {
                let list = &self.containers;
                if let Some(i) = pick(list.visible(), list.selected) {
                    self.containers.selected = i;
                    return self.follow_selected();
                }
            }
            Spot::Detail(Pane::Top) => {
                if let Some(i) = pick(self.top.visible(), self.top.selected) {
                    self.top.selected = i;
                }
            }
            Spot::Images(ImagesFocus::List) => {
                let im = &self.images;
                if let Some(i) = pick(im.visible(), im.selected) {
                    return self.images_select(i);
                }
            }
            Spot::Images(ImagesFocus::History) => {
                let n = self.images.current().map_or(0, |r| r.history.len());
                if let Some(i) = pick((0..n).collect(), self.images.history_selected) {
                    self.images_select_history(i);
                }
            }
            Spot::NetworkList => {
                let nets = &self.networks;
                if let Some(i) = pick(nets.visible(), nets.selected) {
                    self.networks.selected = i;
                }
            }
            _ => {}
        }
        vec![]
    }
}

/// Which part of a bordered table drawn in `rect` row `y` is.
fn part_of(rect: Rect, y: u16) -> Part {
    if y == rect.y {
        Part::Title
    } else if y >= rect.y + 2 && y + 1 < rect.y + rect.height {
        Part::Row(usize::from(y - rect.y - 2))
    } else {
        Part::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_table() {
        let r = Rect::new(0, 3, 40, 6);
        assert_eq!(part_of(r, 3), Part::Title);
        assert_eq!(part_of(r, 4), Part::Other); // the header
        assert_eq!(part_of(r, 5), Part::Row(0));
        assert_eq!(part_of(r, 7), Part::Row(2));
        assert_eq!(part_of(r, 8), Part::Other); // the bottom border
    }
}
