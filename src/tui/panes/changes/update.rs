//! `App::update` for the Changes pane: lists arriving, and which container it watches.

use crate::engine::FileChange;
use crate::tui::action::Effect;
use crate::tui::app::{App, Pane};

impl App {
    /// A list from the watcher of `generation` (older ones are dropped).
    pub(crate) fn changes_listed(
        &mut self,
        generation: u64,
        result: Result<Vec<FileChange>, String>,
    ) -> Vec<Effect> {
        if generation != self.changes.generation {
            return vec![];
        }
        match result {
            Ok(list) => self.changes.apply(list),
            Err(e) => self.changes.error = Some(e),
        }
        vec![]
    }

    /// The watcher follows the selected container while the pane shows.
    pub(crate) fn sync_changes_watcher(&mut self) -> Vec<Effect> {
        let visible = !self.focus.is_full_screen() && self.detail == Pane::Changes;
        let want = if visible {
            self.selected_container().map(|c| c.name().to_string())
        } else {
            None
        };
        if want == self.changes.container {
            return vec![];
        }
        let generation = self.changes.reset(want.clone());
        vec![Effect::WatchChanges {
            container: want,
            generation,
        }]
    }
}
