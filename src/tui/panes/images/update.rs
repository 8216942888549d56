//! `App::update` for the Images pane: lists and layer trees arriving, moving through the
//! list, history and files, and opening the tag, remove and run popups.

use crate::engine::{ImageId, LayerTree};
use crate::tui::action::Effect;
use crate::tui::app::{App, Popup, Prompt, PromptKind};
use crate::tui::panes::images::state::{ImageRow, ImagesFocus, TreeSlot, TreeView};
use std::sync::Arc;

impl App {
    pub(crate) fn images_listed(&mut self, result: Result<Vec<ImageRow>, String>) -> Vec<Effect> {
        let im = &mut self.images;
        match result {
            Ok(rows) => {
                let before = im
                    .rows
                    .get(im.selected)
                    .map(|r| (r.reference.clone(), r.image.id.clone()));
                let changed_image = im.rows.get(im.selected).map(|r| r.image.id.clone());
                im.rows = rows;
                im.listed = true;
                im.error = None;
                if let Some(i) = before.and_then(|(reference, id)| {
                    im.rows
                        .iter()
                        .position(|r| r.reference == reference && r.image.id == id)
                }) {
                    im.selected = i;
                }
                im.selected = im.selected.min(im.rows.len().saturating_sub(1));
                // With a filter, the selection stays on a row that shows.
                if let Some(i) = crate::tui::filter::step(&im.visible(), im.selected, 0) {
                    im.selected = i;
                }
                let ids: Vec<ImageId> = im.rows.iter().map(|r| r.image.id.clone()).collect();
                im.trees.retain(|id, _| ids.contains(id));
                if im.current().map(|r| r.image.id.clone()) != changed_image {
                    im.history_selected = 0;
                    im.file_selected = 0;
                }
                let n = im.current().map_or(0, |r| r.history.len());
                im.history_selected = im.history_selected.min(n.saturating_sub(1));
                im.rebuild_files();
                self.ensure_tree()
            }
            Err(e) => {
                im.error = Some(e);
                vec![]
            }
        }
    }

    pub(crate) fn tree_computed(
        &mut self,
        image_id: ImageId,
        result: Result<Arc<LayerTree>, String>,
    ) -> Vec<Effect> {
        let slot = match result {
            Ok(t) => TreeSlot::Ready(t),
            Err(e) => TreeSlot::Failed(e),
        };
        self.images.trees.insert(image_id, slot);
        self.images.rebuild_files();
        vec![]
    }

    /// Asks for the selected image's tree unless it is cached or being computed.
    pub(crate) fn ensure_tree(&mut self) -> Vec<Effect> {
        let Some(row) = self.images.current() else {
            return vec![];
        };
        let id = row.image.id.clone();
        if self.images.trees.contains_key(&id) {
            return vec![];
        }
        let layers = row.image.layers.clone();
        self.images.trees.insert(id.clone(), TreeSlot::Computing);
        vec![Effect::ComputeTree {
            image_id: id,
            layers,
        }]
    }

    pub(crate) fn images_move(&mut self, delta: isize) -> Vec<Effect> {
        let im = &mut self.images;
        let step =
            |at: usize, len: usize| at.saturating_add_signed(delta).min(len.saturating_sub(1));
        match im.focus {
            ImagesFocus::List => {
                let at = crate::tui::filter::step(&im.visible(), im.selected, delta)
                    .unwrap_or(im.selected);
                return self.images_select(at);
            }
            ImagesFocus::History => {
                let n = im.current().map_or(0, |r| r.history.len());
                im.history_selected = step(im.history_selected, n);
                im.file_selected = 0;
                im.rebuild_files();
            }
            ImagesFocus::Files => im.file_selected = step(im.file_selected, im.files.len()),
        }
        vec![]
    }

    /// Selects image row `i` (its history and files from the top) and asks for its tree.
    pub(crate) fn images_select(&mut self, i: usize) -> Vec<Effect> {
        let im = &mut self.images;
        if i != im.selected {
            im.selected = i;
            im.history_selected = 0;
            im.file_selected = 0;
        }
        im.rebuild_files();
        self.ensure_tree()
    }

    /// Selects history row `i` of the selected image (its layer's files from the top).
    pub(crate) fn images_select_history(&mut self, i: usize) {
        let im = &mut self.images;
        let n = im.current().map_or(0, |r| r.history.len());
        if i < n {
            im.history_selected = i;
            im.file_selected = 0;
            im.rebuild_files();
        }
    }

    pub(crate) fn images_focus_by(&mut self, delta: isize) -> Vec<Effect> {
        const ORDER: [ImagesFocus; 3] =
            [ImagesFocus::List, ImagesFocus::History, ImagesFocus::Files];
        let i = ORDER
            .iter()
            .position(|f| *f == self.images.focus)
            .unwrap_or(0);
        self.images.focus = ORDER[i.saturating_add_signed(delta).min(ORDER.len() - 1)];
        vec![]
    }

    pub(crate) fn toggle_tree_view(&mut self) -> Vec<Effect> {
        self.images.view = match self.images.view {
            TreeView::Layer => TreeView::Aggregated,
            TreeView::Aggregated => TreeView::Layer,
        };
        self.images.file_selected = 0;
        self.images.rebuild_files();
        vec![]
    }

    fn selected_image_target(&mut self) -> Option<String> {
        let target = self.images.current().map(ImageRow::target);
        if target.is_none() {
            self.error("no image selected: pull or import one first");
        }
        target
    }

    pub(crate) fn ask_tag(&mut self) -> Vec<Effect> {
        if let Some(source) = self.selected_image_target() {
            self.popup = Some(Popup::Prompt(Prompt {
                kind: PromptKind::Tag { source },
                input: String::new(),
            }));
        }
        vec![]
    }

    pub(crate) fn ask_run(&mut self) -> Vec<Effect> {
        if let Some(image) = self.selected_image_target() {
            self.popup = Some(Popup::Prompt(Prompt {
                kind: PromptKind::Run { image },
                input: String::new(),
            }));
        }
        vec![]
    }

    pub(crate) fn ask_remove_image(&mut self) -> Vec<Effect> {
        if let Some(name) = self.selected_image_target() {
            self.popup = Some(Popup::ConfirmRemoveImage { name, force: false });
        }
        vec![]
    }
}
