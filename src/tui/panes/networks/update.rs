//! `App::update` for the Networks pane: samples arriving, opening it (from a container:
//! its networks), moving through the networks, and the create, remove, connect and
//! disconnect popups and what confirming them does.

use crate::engine::Network;
use crate::tui::action::{Effect, EngineOp, quote};
use crate::tui::app::{App, Pane, Popup, Prompt, PromptKind};
use crate::tui::panes::networks::state::NetworksSample;

impl App {
    pub(crate) fn networks_sampled(
        &mut self,
        result: Result<NetworksSample, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(s) => {
                let first = !self.networks.listed;
                self.networks.apply(s);
                let nets = &mut self.networks;
                if let Some(i) = crate::tui::filter::step(&nets.visible(), nets.selected, 0) {
                    nets.selected = i;
                }
                // Opened from a container before the first sample: select its network now.
                if first && let Some(id) = self.networks.for_container.clone() {
                    self.networks.select_container(&id);
                }
            }
            Err(e) => self.networks.error = Some(e),
        }
        vec![]
    }

    /// The watcher runs while the Networks pane shows.
    pub(crate) fn sync_networks_watcher(&mut self) -> Vec<Effect> {
        let want = self.focus == Pane::Networks;
        if want == self.networks.watching {
            return vec![];
        }
        self.networks.watching = want;
        vec![Effect::WatchNetworks(want)]
    }

    /// Shows the Networks pane; from the container side, with the selected container's
    /// networks marked and its first network selected.
    pub(crate) fn open_networks(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Networks {
            return vec![];
        }
        match self
            .selected_container()
            .map(|c| (c.id().to_string(), quote(c.name())))
        {
            Some((id, name)) => {
                self.networks.select_container(&id);
                self.command_log.push(format!(
                    "berth inspect --format '{{{{json .NetworkSettings.Networks}}}}' {name}"
                ));
            }
            None => {
                self.networks.for_container = None;
                self.command_log.push("berth network ls".to_string());
            }
        }
        self.focus = Pane::Networks;
        vec![Effect::RefreshNetworks]
    }

    pub(crate) fn networks_move(&mut self, delta: isize) -> Vec<Effect> {
        let nets = &mut self.networks;
        if let Some(i) = crate::tui::filter::step(&nets.visible(), nets.selected, delta) {
            nets.selected = i;
        }
        vec![]
    }

    fn selected_network(&mut self) -> Option<Network> {
        let n = self.networks.current().cloned();
        if n.is_none() {
            self.error("no network selected: wait for the list, or create one");
        }
        n
    }

    pub(crate) fn ask_create_network(&mut self) -> Vec<Effect> {
        self.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::CreateNetwork,
            input: String::new(),
        }));
        vec![]
    }

    /// `NAME` or `NAME SUBNET` from the create prompt.
    pub(crate) fn create_network_from(&mut self, p: Prompt) -> Vec<Effect> {
        let words: Vec<String> = p.input.split_whitespace().map(str::to_string).collect();
        match words.as_slice() {
            [name] => self.start_op(EngineOp::CreateNetwork {
                name: name.clone(),
                subnet: None,
            }),
            [name, subnet] => self.start_op(EngineOp::CreateNetwork {
                name: name.clone(),
                subnet: Some(subnet.clone()),
            }),
            _ => {
                self.error("type a network name and optionally a subnet, e.g. 'app 10.80.0.0/16', or press esc");
                self.popup = Some(Popup::Prompt(p));
                vec![]
            }
        }
    }

    pub(crate) fn ask_remove_network(&mut self) -> Vec<Effect> {
        let Some(n) = self.selected_network() else {
            return vec![];
        };
        if n.is_builtin() {
            self.error(format!(
                "'{}' is a pre-defined network and cannot be removed",
                n.name
            ));
            return vec![];
        }
        self.popup = Some(Popup::ConfirmRemoveNetwork(n.name));
        vec![]
    }

    /// Opens the connect (or disconnect) popup for the selected network: the containers
    /// that can join it (or are on it), the selected container chosen first.
    pub(crate) fn ask_connect(&mut self, connect: bool) -> Vec<Effect> {
        let Some(n) = self.selected_network() else {
            return vec![];
        };
        if connect && n.driver != "bridge" {
            self.error(format!(
                "a container cannot be connected to the '{}' network",
                n.name
            ));
            return vec![];
        }
        let mut containers: Vec<(String, String)> = self
            .containers
            .list
            .iter()
            .filter(|c| n.endpoints.contains_key(c.id()) != connect)
            .filter(|c| !connect || c.config.on_berth_network())
            .map(|c| (c.id().to_string(), c.name().to_string()))
            .collect();
        containers.sort_by(|a, b| a.1.cmp(&b.1));
        if containers.is_empty() {
            self.error(if connect {
                format!(
                    "no container can join '{}': every bridge-networked container is on it already",
                    n.name
                )
            } else {
                format!("no container is connected to '{}'", n.name)
            });
            return vec![];
        }
        let preferred = self
            .selected_container()
            .map(|c| c.id().to_string())
            .or_else(|| self.networks.for_container.clone());
        let choice = preferred
            .and_then(|id| containers.iter().position(|(cid, _)| *cid == id))
            .unwrap_or(0);
        self.popup = Some(Popup::NetworkConnect {
            network: n.name,
            containers: containers.into_iter().map(|(_, name)| name).collect(),
            choice,
            connect,
        });
        vec![]
    }

    pub(crate) fn confirm_network_popup(&mut self, popup: Popup) -> Vec<Effect> {
        match popup {
            Popup::ConfirmRemoveNetwork(name) => self.start_op(EngineOp::RemoveNetwork(name)),
            Popup::NetworkConnect {
                network,
                containers,
                choice,
                connect,
            } => {
                let Some(container) = containers.get(choice).cloned() else {
                    return vec![];
                };
                self.start_op(if connect {
                    EngineOp::ConnectNetwork { network, container }
                } else {
                    EngineOp::DisconnectNetwork { network, container }
                })
            }
            other => {
                self.popup = Some(other);
                vec![]
            }
        }
    }
}
