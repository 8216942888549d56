//! The Topology pane's state: the last networks sample (rates per endpoint, kept as the
//! Networks pane keeps them), the selected node (by id, so it survives a new sample) and
//! whether the watcher runs.

use crate::engine::{ContainerId, NetworkId};
use crate::tui::panes::networks::state::NetworksState;

/// A node of the drawing, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeId {
    /// A network box.
    Network(NetworkId),
    /// A container node.
    Container(ContainerId),
}

/// The Topology pane.
#[derive(Debug, Clone, Default)]
pub struct TopologyState {
    /// The networks, their endpoints and the traffic rates, as last sampled.
    pub sample: NetworksState,
    /// The selected node (the first container, or network, when none).
    pub selected: Option<NodeId>,
    /// Whether the watcher runs.
    pub watching: bool,
}
