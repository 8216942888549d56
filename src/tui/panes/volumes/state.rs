//! The Volumes pane's state: the last list read, the selection, and whether the watcher
//! runs.

use crate::engine::VolumeOverview;

/// The Volumes pane.
#[derive(Debug, Clone, Default)]
pub struct VolumesState {
    /// The volumes, by name.
    pub list: Vec<VolumeOverview>,
    /// Whether a list has arrived.
    pub listed: bool,
    /// Why the last read failed.
    pub error: Option<String>,
    /// Index of the selected volume.
    pub selected: usize,
    /// Whether the watcher runs.
    pub watching: bool,
}

impl VolumesState {
    /// The selected volume.
    pub fn current(&self) -> Option<&VolumeOverview> {
        self.list.get(self.selected)
    }

    /// Takes a fresh list, keeping the same volume selected when it is still there.
    pub fn apply(&mut self, list: Vec<VolumeOverview>) {
        let name = self.current().map(|v| v.volume.name().to_string());
        self.list = list;
        self.listed = true;
        self.error = None;
        self.selected = name
            .and_then(|n| self.list.iter().position(|v| v.volume.name() == n))
            .unwrap_or(self.selected)
            .min(self.list.len().saturating_sub(1));
    }
}
