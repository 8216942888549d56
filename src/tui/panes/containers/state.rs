//! The Containers pane's state: the last container list (in the chosen order), which
//! networks each container is on, and the selection.

use crate::engine::Container;
use crate::tui::app::ContainerSort;

/// The Containers pane.
#[derive(Debug, Clone)]
pub struct ContainersState {
    /// The last container list, in the chosen order.
    pub list: Vec<Container>,
    /// The networks of each container (the NETWORKS column).
    pub memberships: crate::engine::Memberships,
    /// Whether a list has arrived yet.
    pub listed: bool,
    /// Index of the selected container.
    pub selected: usize,
    /// The list's order.
    pub sort: ContainerSort,
    /// Container ids in the engine's order (newest first), for sorting by age.
    pub ps_order: Vec<String>,
}

impl Default for ContainersState {
    fn default() -> Self {
        ContainersState {
            list: Vec::new(),
            memberships: Default::default(),
            listed: false,
            selected: 0,
            sort: ContainerSort::Age,
            ps_order: Vec::new(),
        }
    }
}
