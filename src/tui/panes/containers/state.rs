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
    /// The `/` filter over the list.
    pub filter: crate::tui::filter::ListFilter,
    /// Compose projects folded into one row.
    pub folded: std::collections::BTreeSet<String>,
}

impl ContainersState {
    /// What the filter looks at in a row: short id, name, image, status, ports, networks.
    pub fn texts(&self, c: &Container) -> [String; 6] {
        [
            c.config.short_id().to_string(),
            c.name().to_string(),
            c.config.image.clone(),
            format!("{:?}", c.state.status).to_lowercase(),
            c.config.ports_text(),
            self.memberships.names_of(&c.config),
        ]
    }

    /// Whether the filter lets `c` through (always, without a filter).
    pub fn shows(&self, c: &Container) -> bool {
        !self.filter.is_active() || self.filter.keeps(&self.texts(c))
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.list.len())
            .filter(|i| self.shows(&self.list[*i]) && !self.folded_away(*i))
            .collect()
    }

    /// The id of the selected row, shown or not.
    pub fn selected_id(&self) -> Option<String> {
        self.list.get(self.selected).map(|c| c.id().to_string())
    }
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
            filter: Default::default(),
            folded: Default::default(),
        }
    }
}
