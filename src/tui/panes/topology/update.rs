//! `App::update` for the Topology pane: samples arriving, opening and leaving it, moving
//! the selection between the nodes, a click on a node, and opening the selected node (a
//! container: its log under the container list; a network: the Networks pane on it).

use crate::tui::action::Effect;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::UserAction;
use crate::tui::panes::networks::state::NetworksSample;
use crate::tui::panes::topology::graph::{Graph, Node};
use crate::tui::panes::topology::view;
use ratatui::layout::Rect;

impl App {
    /// A fresh sample (or why reading failed).
    pub(crate) fn topology_sampled(
        &mut self,
        result: Result<NetworksSample, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(s) => self.topology.sample.apply(s),
            Err(e) => self.topology.sample.error = Some(e),
        }
        vec![]
    }

    /// The watcher runs while the Topology pane shows.
    pub(crate) fn sync_topology_watcher(&mut self) -> Vec<Effect> {
        let want = self.focus == Pane::Topology;
        if want == self.topology.watching {
            return vec![];
        }
        self.topology.watching = want;
        vec![Effect::WatchTopology(want)]
    }

    /// Shows the Topology pane (the selected container selected in it).
    pub(crate) fn open_topology(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Topology {
            return vec![];
        }
        if let Some(c) = self.selected_container() {
            self.topology.selected = Some(crate::tui::panes::topology::state::NodeId::Container(
                c.id().clone(),
            ));
        }
        self.focus = Pane::Topology;
        self.command_log.push("berth network ls".to_string());
        vec![]
    }

    /// Leaves the Topology pane for the container list.
    pub(crate) fn leave_topology(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Topology {
            self.focus = Pane::Containers;
        }
        vec![]
    }

    fn topology_graph(&self) -> Graph {
        Graph::build(&self.topology, &self.containers.list)
    }

    /// Moves the selection by `dx` networks or `dy` containers (see `Graph::step`).
    pub(crate) fn topology_move(&mut self, dx: isize, dy: isize) -> Vec<Effect> {
        let graph = self.topology_graph();
        let Some(from) = graph.selected(&self.topology) else {
            return vec![];
        };
        let to = match dy {
            isize::MIN => graph.first_network().unwrap_or(from),
            isize::MAX => graph
                .containers
                .len()
                .checked_sub(1)
                .map_or(from, Node::Container),
            _ => graph.step(from, dx, dy),
        };
        self.topology.selected = graph.id_of(to);
        vec![]
    }

    /// A click at column `x`, row `y` of the pane drawn in `area`: selects the node there.
    pub(crate) fn topology_click(&mut self, area: Rect, x: u16, y: u16) -> Vec<Effect> {
        let (graph, _, p) = view::placed(self, area);
        if let Some(n) = p.node_at(x, y) {
            self.topology.selected = graph.id_of(n);
        }
        vec![]
    }

    /// The selected node for the Inspect view: a network or a container, by name.
    pub(crate) fn topology_target(&self) -> Option<(crate::engine::ObjectKind, String)> {
        use crate::engine::ObjectKind;
        let graph = self.topology_graph();
        match graph.selected(&self.topology)? {
            Node::Network(i) => Some((ObjectKind::Network, graph.networks[i].name.clone())),
            Node::Container(i) => Some((ObjectKind::Container, graph.containers[i].name.clone())),
        }
    }

    /// Opens the selected node: a container's log (selected in the container list), or
    /// the Networks pane with the network selected.
    pub(crate) fn open_node(&mut self) -> Vec<Effect> {
        let graph = self.topology_graph();
        match graph.selected(&self.topology) {
            Some(Node::Container(i)) => {
                let id = graph.containers[i].id.clone();
                let Some(at) = self.containers.list.iter().position(|c| c.id() == &id) else {
                    self.error(format!("container '{}' is gone", graph.containers[i].name));
                    return vec![];
                };
                if !self.containers.shows(&self.containers.list[at]) {
                    self.containers.filter = Default::default();
                }
                self.containers.selected = at;
                let mut effects = self.follow_selected();
                self.focus = Pane::Containers;
                effects.extend(self.navigate(UserAction::FocusLogs).unwrap_or_default());
                effects
            }
            Some(Node::Network(i)) => {
                let id = graph.networks[i].id.clone();
                let nets = &mut self.networks;
                if nets.networks.iter().all(|n| n.id != id) {
                    // Not listed there yet: its first sample keeps this one selected.
                    nets.networks = self.topology.sample.networks.clone();
                }
                nets.for_container = None;
                if let Some(at) = nets.networks.iter().position(|n| n.id == id) {
                    if !nets.shows(&nets.networks[at]) {
                        nets.filter = Default::default();
                    }
                    nets.selected = at;
                }
                self.focus = Pane::Networks;
                self.command_log
                    .push(format!("berth network inspect {}", graph.networks[i].name));
                vec![Effect::RefreshNetworks]
            }
            None => {
                self.error("nothing to open: no network or container is drawn");
                vec![]
            }
        }
    }
}
