//! `App::update` for moves and focus changes: the movement keys go to the focused pane
//! (its list, its scroll position, its chart window), and the pane keys change the focus.

use crate::tui::action::{Effect, quote};
use crate::tui::app::{App, Pane};
use crate::tui::keymap::UserAction;

impl App {
    /// Rows a page move goes (half the screen).
    pub(crate) fn page(&self) -> usize {
        usize::from(self.height / 2).max(1)
    }

    /// Moves and focus changes; `None` when `a` is neither.
    pub(crate) fn navigate(&mut self, a: UserAction) -> Option<Vec<Effect>> {
        use UserAction::*;
        let effects = match a {
            MoveDown => self.move_by(1),
            MoveUp => self.move_by(-1),
            PageDown => self.move_by(self.page() as isize),
            PageUp => self.move_by(-(self.page() as isize)),
            GoTop => self.move_by(isize::MIN),
            GoBottom => self.move_by(isize::MAX),
            // Out of the cycle, the Topology pane sits after its last pane.
            NextPane | PrevPane if self.focus == Pane::Topology => {
                let order = Pane::ORDER;
                let to = if a == NextPane { 0 } else { order.len() - 1 };
                self.focus_pane(order[to])
            }
            NextPane | PrevPane => {
                let order = Pane::ORDER;
                let i = order.iter().position(|p| *p == self.focus).unwrap_or(0);
                let step = if a == NextPane { 1 } else { order.len() - 1 };
                self.focus_pane(order[(i + step) % order.len()])
            }
            FocusStats => self.show_pane(Pane::Stats),
            FocusTop => self.show_pane(Pane::Top),
            FocusImages => self.show_pane(Pane::Images),
            FocusLeft => self.images_focus_by(-1),
            FocusRight => self.images_focus_by(1),
            FocusNetworks => self.open_networks(),
            FocusVolumes => self.open_volumes(),
            FocusTopology => self.open_topology(),
            FocusChanges => self.show_pane(Pane::Changes),
            FocusTimeline => self.open_timeline(),
            FocusLogs => {
                self.focus = Pane::Logs;
                self.detail = Pane::Logs;
                if let Some(name) = self.selected_container().map(|c| c.name().to_string()) {
                    self.logs.bottom();
                    self.command_log.push(format!(
                        "berth logs -f --tail {} {}",
                        self.settings.log_tail,
                        quote(&name)
                    ));
                }
                vec![]
            }
            _ => return None,
        };
        Some(effects)
    }

    pub(crate) fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        match self.focus {
            Pane::Images => return self.images_move(delta),
            Pane::Networks => return self.networks_move(delta),
            Pane::Volumes => return self.volumes_move(delta),
            Pane::Topology => return self.topology_move(0, delta),
            Pane::Changes => {
                let last = self.changes.list.len().saturating_sub(1);
                self.changes.scroll = self.changes.scroll.saturating_add_signed(delta).min(last);
                return vec![];
            }
            Pane::Timeline => return self.timeline_move(delta),
            Pane::Stats => {
                // Up is back in time.
                let id = self.selected_container().map(|c| c.id().to_string());
                self.metrics.scroll(id.as_deref(), delta.saturating_neg());
                return vec![];
            }
            Pane::Top => {
                let top = &mut self.top;
                if let Some(i) = crate::tui::filter::step(&top.visible(), top.selected, delta) {
                    top.selected = i;
                }
                return vec![];
            }
            Pane::Containers | Pane::Logs | Pane::Shell => {}
        }
        if self.focus == Pane::Logs {
            match delta {
                isize::MIN => self.logs.top(),
                isize::MAX => self.logs.bottom(),
                d if d < 0 => self.logs.scroll_up(d.unsigned_abs()),
                d => self.logs.scroll_down(d.unsigned_abs()),
            }
            return vec![];
        }
        let list = &mut self.containers;
        match crate::tui::filter::step(&list.visible(), list.selected, delta) {
            Some(i) => list.selected = i,
            None => return vec![],
        }
        self.follow_selected()
    }
}
