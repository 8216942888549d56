//! The Images pane's state: one row per reference (as `berth images` lists them), the
//! selected image's history, the layer trees computed so far (cached per image id), and
//! the file rows the tree panel shows for the selected layer.

use crate::engine::Reference;
use crate::engine::{HistoryRow, history_rows};
use crate::engine::{Image, ImageId};
use crate::engine::{LayerChangeKind as ChangeKind, LayerTree};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One row of the image list.
#[derive(Debug, Clone)]
pub struct ImageRow {
    /// `busybox`, or `<none>`.
    pub repository: String,
    /// `latest`, or `<none>`.
    pub tag: String,
    /// `busybox:latest`, when the row is a reference.
    pub reference: Option<String>,
    /// The image.
    pub image: Arc<Image>,
    /// Its history, newest first (as `berth history` prints it).
    pub history: Arc<Vec<HistoryRow>>,
}

impl ImageRow {
    /// The name actions use: the reference, else the short id.
    pub fn target(&self) -> String {
        self.reference
            .clone()
            .unwrap_or_else(|| self.image.short_id().to_string())
    }

    /// The layer (bottom first) of each history row: rows that made no layer have none;
    /// the others map to the layers in order.
    pub fn row_layers(&self) -> Vec<Option<usize>> {
        let n = self.history.len();
        let layers = self.image.layers.len();
        let mut out = vec![None; n];
        let mut next = 0;
        for i in (0..n).rev() {
            if !self.history[i].empty_layer && next < layers {
                out[i] = Some(next);
                next += 1;
            }
        }
        out
    }

    /// The history row that made `layer`.
    pub fn instruction(&self, layer: usize) -> Option<&HistoryRow> {
        let i = self.row_layers().iter().position(|l| *l == Some(layer))?;
        self.history.get(i)
    }
}

/// The image rows of `images`, one per reference (`<none>` rows for untagged images).
pub fn rows_of(images: Vec<Image>) -> Vec<ImageRow> {
    let mut out = Vec::new();
    for image in images {
        let history = Arc::new(history_rows(&image));
        let image = Arc::new(image);
        let mut refs: Vec<Reference> = image
            .repo_tags
            .iter()
            .filter_map(|t| Reference::parse(t).ok())
            .collect();
        refs.sort_by_key(|r| r.to_string());
        if refs.is_empty() {
            out.push(ImageRow {
                repository: "<none>".into(),
                tag: "<none>".into(),
                reference: None,
                image: image.clone(),
                history: history.clone(),
            });
        }
        for r in refs {
            out.push(ImageRow {
                reference: Some(r.to_string()),
                repository: r.name,
                tag: r.tag,
                image: image.clone(),
                history: history.clone(),
            });
        }
    }
    out
}

/// Which part of the Images pane the movement keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagesFocus {
    /// The image list.
    List,
    /// The selected image's history (one row per step).
    History,
    /// The file tree of the selected layer.
    Files,
}

/// What the file tree shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeView {
    /// The changes of the selected layer only.
    Layer,
    /// The merged tree of every layer up to the selected one.
    Aggregated,
}

/// A layer tree being computed, computed, or failed.
#[derive(Debug, Clone)]
pub enum TreeSlot {
    /// The background task runs.
    Computing,
    /// Ready.
    Ready(Arc<LayerTree>),
    /// Why it could not be computed.
    Failed(String),
}

/// One line of the file tree panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// Path inside the image.
    pub path: PathBuf,
    /// Nesting depth (0 at the top).
    pub depth: usize,
    /// Bytes.
    pub size: u64,
    /// Whether it is a directory.
    pub dir: bool,
    /// What the selected layer did (in the layer view).
    pub kind: Option<ChangeKind>,
    /// The layer that put it there (or removed it).
    pub layer: usize,
}

/// The Images pane.
#[derive(Debug, Clone)]
pub struct ImagesState {
    /// The rows, newest image first.
    pub rows: Vec<ImageRow>,
    /// Whether a list has arrived.
    pub listed: bool,
    /// Why listing failed.
    pub error: Option<String>,
    /// The selected row.
    pub selected: usize,
    /// The selected history row.
    pub history_selected: usize,
    /// The selected file row.
    pub file_selected: usize,
    /// Where the movement keys go.
    pub focus: ImagesFocus,
    /// Layer changes or the merged tree.
    pub view: TreeView,
    /// Layer trees by image id.
    pub trees: HashMap<ImageId, TreeSlot>,
    /// What the file panel shows (rebuilt when the selection or view changes).
    pub files: Vec<FileRow>,
    /// A run from the dashboard waiting for the pull of its missing image.
    pub run_after_pull: Option<crate::tui::panes::images::run::PendingRun>,
    /// The `/` filter over the image list.
    pub filter: crate::tui::filter::ListFilter,
}

impl Default for ImagesState {
    fn default() -> Self {
        ImagesState {
            rows: Vec::new(),
            listed: false,
            error: None,
            selected: 0,
            history_selected: 0,
            file_selected: 0,
            focus: ImagesFocus::List,
            view: TreeView::Layer,
            trees: HashMap::new(),
            files: Vec::new(),
            run_after_pull: None,
            filter: Default::default(),
        }
    }
}

impl ImagesState {
    /// The selected row (none when the filter hides it).
    pub fn current(&self) -> Option<&ImageRow> {
        self.rows.get(self.selected).filter(|r| self.shows(r))
    }

    /// What the filter looks at in a row: repository, tag, short id.
    pub fn texts(r: &ImageRow) -> [String; 3] {
        [
            r.repository.clone(),
            r.tag.clone(),
            r.image.short_id().to_string(),
        ]
    }

    /// Whether the filter lets `r` through (always, without a filter; the row's
    /// texts are only built while filtering).
    pub fn shows(&self, r: &ImageRow) -> bool {
        !self.filter.is_active() || self.filter.keeps(&Self::texts(r))
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|i| self.shows(&self.rows[*i]))
            .collect()
    }

    /// The selected image's tree, when computed.
    pub fn tree(&self) -> Option<&TreeSlot> {
        self.trees.get(&self.current()?.image.id)
    }

    /// The layer the selected history row stands for: its own layer, or (aggregated
    /// view) the newest layer at or below an empty step.
    pub fn selected_layer(&self) -> Option<usize> {
        let row = self.current()?;
        let layers = row.row_layers();
        match self.view {
            TreeView::Layer => layers.get(self.history_selected).copied().flatten(),
            TreeView::Aggregated => layers
                .iter()
                .skip(self.history_selected)
                .flatten()
                .next()
                .copied(),
        }
    }

    /// The selected file row.
    pub fn selected_file(&self) -> Option<&FileRow> {
        self.files.get(self.file_selected)
    }

    /// Rebuilds `files` from the cached tree for the selected layer and view.
    pub fn rebuild_files(&mut self) {
        let tree = match self.tree() {
            Some(TreeSlot::Ready(t)) => t.clone(),
            _ => {
                self.files.clear();
                return;
            }
        };
        let Some(layer) = self.selected_layer() else {
            self.files.clear();
            return;
        };
        self.files = match self.view {
            TreeView::Layer => {
                let mut rows: Vec<FileRow> = Vec::new();
                for c in tree.changes.get(layer).map_or(&[][..], |c| c.as_slice()) {
                    // The directories above a change show as context (unchanged).
                    let mut ancestors: Vec<&Path> = c.path.ancestors().skip(1).collect();
                    ancestors.pop();
                    for a in ancestors.into_iter().rev() {
                        if !rows.iter().rev().any(|r| r.path == a) {
                            rows.push(FileRow {
                                depth: a.components().count().saturating_sub(1),
                                path: a.to_path_buf(),
                                size: 0,
                                dir: true,
                                kind: None,
                                layer,
                            });
                        }
                    }
                    rows.push(FileRow {
                        depth: c.path.components().count().saturating_sub(1),
                        path: c.path.clone(),
                        size: c.size,
                        dir: c.dir,
                        kind: Some(c.kind),
                        layer,
                    });
                }
                rows
            }
            TreeView::Aggregated => tree
                .versions
                .iter()
                .filter(|v| v.visible_at(layer))
                .map(|v| FileRow {
                    depth: v.path.components().count().saturating_sub(1),
                    path: v.path.clone(),
                    size: v.size,
                    dir: v.dir,
                    kind: None,
                    layer: v.layer,
                })
                .collect(),
        };
        self.file_selected = self.file_selected.min(self.files.len().saturating_sub(1));
    }
}
