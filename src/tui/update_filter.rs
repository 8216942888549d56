//! `App::update` for the list filter: `/` on a list (containers, images, networks,
//! processes) types a query that hides the rows without it, as it is typed; enter keeps
//! it and returns to the list's keys, esc clears it. Elsewhere (Logs, Stats) `/` searches
//! the log as before.

use super::action::Effect;
use super::app::{App, Pane};
use super::filter::{ListFilter, step};
use super::keys::Key;
use crossterm::event::{KeyCode, KeyModifiers};

impl App {
    fn focused_filter_mut(&mut self) -> Option<&mut ListFilter> {
        match self.focus {
            Pane::Containers => Some(&mut self.containers.filter),
            Pane::Images => Some(&mut self.images.filter),
            Pane::Networks => Some(&mut self.networks.filter),
            Pane::Top => Some(&mut self.top.filter),
            Pane::Logs
            | Pane::Stats
            | Pane::Shell
            | Pane::Volumes
            | Pane::Changes
            | Pane::Timeline
            | Pane::Topology => None,
        }
    }

    /// `filter_list`: starts typing the focused list's filter; where there is no list,
    /// searches the log.
    pub(crate) fn start_filter(&mut self) -> Vec<Effect> {
        match self.focused_filter_mut() {
            Some(f) => {
                f.editing = true;
                vec![]
            }
            None => self.ask_search(),
        }
    }

    /// Stops typing in every filter (the focus moved away by other means).
    pub(crate) fn stop_filter_editing(&mut self) {
        self.containers.filter.editing = false;
        self.images.filter.editing = false;
        self.networks.filter.editing = false;
        self.top.filter.editing = false;
    }

    /// Keys while a filter is typed (characters, backspace, enter, esc, up and down move
    /// the selection), and esc on a list with a kept filter (clears it). `None` when the
    /// key is not the filter's.
    pub(super) fn filter_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        if self.popup.is_some() {
            return None;
        }
        let f = self.focused_filter_mut()?;
        let plain = key.mods == KeyModifiers::NONE;
        if !f.editing {
            if key.code == KeyCode::Esc && plain && f.is_active() {
                f.query.clear();
                return Some(self.filter_changed());
            }
            return None;
        }
        match key.code {
            KeyCode::Char(c) if plain => f.query.push(c),
            KeyCode::Backspace => {
                f.query.pop();
            }
            KeyCode::Esc => {
                f.query.clear();
                f.editing = false;
            }
            KeyCode::Enter => {
                f.editing = false;
                return Some(vec![]);
            }
            KeyCode::Down => return Some(self.move_by(1)),
            KeyCode::Up => return Some(self.move_by(-1)),
            // Other keys wait until the filter is kept or cleared.
            _ => return Some(vec![]),
        }
        Some(self.filter_changed())
    }

    /// The focused list's filter changed: its selection moves to a row that shows (the
    /// same one when it still shows), and what follows the selection follows it.
    fn filter_changed(&mut self) -> Vec<Effect> {
        match self.focus {
            Pane::Containers => {
                let list = &mut self.containers;
                if let Some(i) = step(&list.visible(), list.selected, 0) {
                    list.selected = i;
                }
                self.follow_selected()
            }
            Pane::Images => {
                let im = &self.images;
                let i = step(&im.visible(), im.selected, 0).unwrap_or(im.selected);
                self.images_select(i)
            }
            Pane::Networks => {
                let nets = &mut self.networks;
                if let Some(i) = step(&nets.visible(), nets.selected, 0) {
                    nets.selected = i;
                }
                vec![]
            }
            Pane::Top => {
                let top = &mut self.top;
                if let Some(i) = step(&top.visible(), top.selected, 0) {
                    top.selected = i;
                }
                vec![]
            }
            Pane::Logs
            | Pane::Stats
            | Pane::Shell
            | Pane::Volumes
            | Pane::Changes
            | Pane::Timeline
            | Pane::Topology => vec![],
        }
    }
}
