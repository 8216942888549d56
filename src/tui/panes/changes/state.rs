//! The Changes pane's state: the container watched, the last list, and which paths were
//! already there when the pane opened (so new ones stand out).

use crate::engine::FileChange;
use std::collections::HashSet;
use std::path::PathBuf;

/// The Changes pane.
#[derive(Debug, Clone, Default)]
pub struct ChangesView {
    /// The container watched (selected, pane visible).
    pub container: Option<String>,
    /// Tag of the current watcher; older lists are dropped.
    pub generation: u64,
    /// The changes, by path.
    pub list: Vec<FileChange>,
    /// Whether a list arrived for this container.
    pub loaded: bool,
    /// Why the last read failed.
    pub error: Option<String>,
    /// The paths of the first list: later paths are new.
    pub first: Option<HashSet<PathBuf>>,
    /// Rows scrolled past.
    pub scroll: usize,
}

impl ChangesView {
    /// Starts over for `container`; returns the new watcher's tag.
    pub fn reset(&mut self, container: Option<String>) -> u64 {
        self.generation += 1;
        *self = ChangesView {
            container,
            generation: self.generation,
            ..ChangesView::default()
        };
        self.generation
    }

    /// Takes a fresh list.
    pub fn apply(&mut self, list: Vec<FileChange>) {
        if self.first.is_none() {
            self.first = Some(list.iter().map(|c| c.path.clone()).collect());
        }
        self.list = list;
        self.loaded = true;
        self.error = None;
        self.scroll = self.scroll.min(self.list.len().saturating_sub(1));
    }

    /// Whether `c` appeared after the pane opened.
    pub fn is_new(&self, c: &FileChange) -> bool {
        self.first.as_ref().is_some_and(|f| !f.contains(&c.path))
    }
}
