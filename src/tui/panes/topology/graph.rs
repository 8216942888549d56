//! What the topology draws, as plain data: the networks (sorted by name; `host` and
//! `none` only when a container is on them), the containers on them (sorted by name)
//! with one link per network (address, live rx/tx), and the ports published on the host.
//! Built from the last sample and the container list, so the view and the mouse see the
//! same graph.

use crate::engine::{Container, ContainerId, NetworkId};
use crate::tui::panes::topology::state::{NodeId, TopologyState};

/// A network box.
#[derive(Debug, Clone, PartialEq)]
pub struct NetNode {
    /// Its id.
    pub id: NetworkId,
    /// Its name.
    pub name: String,
    /// `172.18.0.0/16`, when it has one.
    pub subnet: Option<String>,
    /// `172.18.0.1`, when it has one.
    pub gateway: Option<String>,
    /// `bridge`, `host`, `null`.
    pub driver: String,
}

/// A container's attachment to a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Index into [`Graph::networks`].
    pub network: usize,
    /// `172.18.0.2` (empty on `host` and `none`).
    pub address: String,
    /// Received and sent bytes per second on it, once measured.
    pub rates: Option<(f64, f64)>,
}

/// A container node.
#[derive(Debug, Clone, PartialEq)]
pub struct CtrNode {
    /// Its id.
    pub id: ContainerId,
    /// Its name.
    pub name: String,
    /// Whether it runs.
    pub running: bool,
    /// Whether it publishes ports on the host.
    pub published: bool,
    /// Its links, in network order.
    pub links: Vec<Link>,
}

/// The whole drawing's content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// The networks, by name.
    pub networks: Vec<NetNode>,
    /// The containers on them, by name.
    pub containers: Vec<CtrNode>,
    /// The published ports, `:8080→web:80` (`/udp` for UDP; the host address unless all).
    pub ports: Vec<String>,
}

impl Graph {
    /// The graph of `state`'s last sample over the container list `containers`.
    pub fn build(state: &TopologyState, containers: &[Container]) -> Graph {
        let all = &state.sample.networks;
        let mut nets: Vec<&crate::engine::Network> = all
            .iter()
            .filter(|n| match n.driver.as_str() {
                "host" | "null" => {
                    !n.endpoints.is_empty()
                        || containers.iter().any(|c| c.config.network_mode == n.name)
                }
                _ => true,
            })
            .collect();
        nets.sort_by(|a, b| a.name.cmp(&b.name));
        let networks: Vec<NetNode> = nets
            .iter()
            .map(|n| NetNode {
                id: n.id.clone(),
                name: n.name.clone(),
                subnet: n.subnet.clone(),
                gateway: n.gateway.clone(),
                driver: n.driver.clone(),
            })
            .collect();
        let mut nodes: Vec<CtrNode> = Vec::new();
        let node_of = |id: &ContainerId, name: &str, nodes: &mut Vec<CtrNode>| -> usize {
            if let Some(i) = nodes.iter().position(|c| &c.id == id) {
                return i;
            }
            let c = containers.iter().find(|c| c.id() == id);
            nodes.push(CtrNode {
                id: id.clone(),
                name: c.map_or(name, |c| c.name()).to_string(),
                running: c.is_some_and(|c| c.state.status.has_shim()),
                published: c.is_some_and(|c| !c.config.net.ports.is_empty()),
                links: Vec::new(),
            });
            nodes.len() - 1
        };
        for (i, n) in nets.iter().enumerate() {
            for (cid, e) in &n.endpoints {
                let at = node_of(cid, &e.container_name, &mut nodes);
                let io = state.sample.io.get(&(cid.clone(), e.ifname.clone()));
                nodes[at].links.push(Link {
                    network: i,
                    address: e.ipv4.clone(),
                    rates: io.and_then(|io| Some((io.rx_rate?, io.tx_rate?))),
                });
            }
            // `host` and `none` keep no endpoints: their containers say so themselves.
            if matches!(n.driver.as_str(), "host" | "null") {
                for c in containers
                    .iter()
                    .filter(|c| c.config.network_mode == n.name)
                {
                    if n.endpoints.contains_key(c.id()) {
                        continue;
                    }
                    let at = node_of(c.id(), c.name(), &mut nodes);
                    nodes[at].links.push(Link {
                        network: i,
                        address: String::new(),
                        rates: None,
                    });
                }
            }
        }
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut ports: Vec<String> = Vec::new();
        for node in &nodes {
            let Some(c) = containers.iter().find(|c| c.id() == &node.id) else {
                continue;
            };
            for p in &c.config.net.ports {
                let host = match p.host_ip.as_str() {
                    "" | "0.0.0.0" | "::" => String::new(),
                    ip => ip.to_string(),
                };
                let proto = if p.protocol == "tcp" || p.protocol.is_empty() {
                    String::new()
                } else {
                    format!("/{}", p.protocol)
                };
                ports.push(format!(
                    "{host}:{}→{}:{}{proto}",
                    p.host_port, node.name, p.container_port
                ));
            }
        }
        Graph {
            networks,
            containers: nodes,
            ports,
        }
    }

    /// Where the node with id `id` is in the graph, if it still is.
    pub fn index_of(&self, id: &NodeId) -> Option<Node> {
        match id {
            NodeId::Network(n) => self
                .networks
                .iter()
                .position(|x| &x.id == n)
                .map(Node::Network),
            NodeId::Container(c) => self
                .containers
                .iter()
                .position(|x| &x.id == c)
                .map(Node::Container),
        }
    }

    /// The id of node `n`.
    pub fn id_of(&self, n: Node) -> Option<NodeId> {
        match n {
            Node::Network(i) => self.networks.get(i).map(|x| NodeId::Network(x.id.clone())),
            Node::Container(i) => self
                .containers
                .get(i)
                .map(|x| NodeId::Container(x.id.clone())),
        }
    }

    /// The node selected in `state` (the first container, else the first network, when
    /// the selection is gone or was never made).
    pub fn selected(&self, state: &TopologyState) -> Option<Node> {
        state
            .selected
            .as_ref()
            .and_then(|id| self.index_of(id))
            .or_else(|| self.first())
    }

    /// The first network, else the first container.
    pub fn first_network(&self) -> Option<Node> {
        if self.networks.is_empty() {
            self.first()
        } else {
            Some(Node::Network(0))
        }
    }

    /// The first container, else the first network.
    pub fn first(&self) -> Option<Node> {
        if !self.containers.is_empty() {
            Some(Node::Container(0))
        } else if !self.networks.is_empty() {
            Some(Node::Network(0))
        } else {
            None
        }
    }

    /// Where a move of (`dx`, `dy`) from `from` lands: left and right go between the
    /// networks; down from a network goes to its first container, up from the first
    /// container to its first network; up and down go between the containers.
    pub fn step(&self, from: Node, dx: isize, dy: isize) -> Node {
        let last_c = self.containers.len().saturating_sub(1);
        let last_n = self.networks.len().saturating_sub(1);
        match from {
            Node::Network(i) if dy > 0 => self
                .containers
                .iter()
                .position(|c| c.links.iter().any(|l| l.network == i))
                .or((!self.containers.is_empty()).then_some(0))
                .map_or(from, |c| {
                    Node::Container(c.saturating_add_signed(dy - 1).min(last_c))
                }),
            Node::Network(i) => Node::Network(i.saturating_add_signed(dx).min(last_n)),
            Node::Container(i) if dy < 0 && i < dy.unsigned_abs() => {
                let net = self.containers[i].links.first().map_or(0, |l| l.network);
                if self.networks.is_empty() {
                    Node::Container(0)
                } else {
                    Node::Network(net)
                }
            }
            Node::Container(i) => Node::Container(i.saturating_add_signed(dy).min(last_c)),
        }
    }
}

/// A node of the drawing, by index into the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Index into [`Graph::networks`].
    Network(usize),
    /// Index into [`Graph::containers`].
    Container(usize),
}
