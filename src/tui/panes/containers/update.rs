//! `App::update` for the Containers pane: a new container list arriving (the selection
//! kept on the same container), and the engine calls on the selected container (one at a
//! time per container), with their outcome.

use crate::engine::Container;
use crate::tui::action::{Effect, EngineOp};
use crate::tui::app::{App, Popup};

impl App {
    /// Calls the engine on the selected container (`make` names the call).
    pub(crate) fn op(&mut self, make: fn(String) -> EngineOp) -> Vec<Effect> {
        match self.selected_container() {
            Some(c) => {
                let op = make(c.name().to_string());
                self.start_op(op)
            }
            None => {
                self.error("no container selected");
                vec![]
            }
        }
    }

    /// Starts an engine call, unless one still runs on the same container.
    pub(crate) fn start_op(&mut self, op: EngineOp) -> Vec<Effect> {
        if let Some(busy) = self.pending.get(&op.pending_key()) {
            self.error(format!(
                "'{}' is still {}: wait for it to finish",
                op.name(),
                busy.doing_verb()
            ));
            return vec![];
        }
        self.pending.insert(op.pending_key(), op.clone());
        self.command_log.push(op.cli_line());
        self.info(format!("{} '{}'…", op.doing_verb(), op.name()));
        vec![Effect::Engine(op)]
    }

    /// Takes a new container list, keeping the same container selected when it is
    /// still there and the index in range when it is not.
    pub(crate) fn set_containers(&mut self, list: Vec<Container>) -> Vec<Effect> {
        let before = self.containers.selected_id();
        self.containers.ps_order = list.iter().map(|c| c.id().to_string()).collect();
        self.containers.list = list;
        self.containers.listed = true;
        let ids: Vec<&str> = self
            .containers
            .list
            .iter()
            .map(|c| c.id().as_str())
            .collect();
        self.metrics.retain(&ids);
        self.sort_containers(before);
        let mut effects = self.follow_selected();
        // A log that ended because its container stopped resumes when it runs again.
        let resume = effects.is_empty()
            && self.logs.ended
            && self.logs.error.is_none()
            && self.logs.merged.is_empty();
        if let Some(c) = self
            .selected_container()
            .filter(|c| resume && c.state.status.has_shim())
        {
            let name = c.name().to_string();
            effects = self.restart_follow(Some(name));
        }
        effects
    }

    /// An engine call finished: the row is free again, the status bar and the command
    /// log tell how it went, and the lists it changed are read again.
    pub(crate) fn op_finished(&mut self, op: EngineOp, result: Result<(), String>) -> Vec<Effect> {
        self.pending.remove(&op.pending_key());
        self.run_finished(&op);
        match result {
            Ok(()) => self.info(format!("{} '{}'", op.done_verb(), op.name())),
            Err(e) => {
                self.command_log.push(format!("#   failed: {e}"));
                self.error(format!("{}: {e}", op.cli_line()));
            }
        }
        let mut effects = vec![Effect::RefreshContainers];
        if op.touches_images() {
            effects.push(Effect::ListImages);
        }
        if op.touches_networks() {
            effects.push(Effect::RefreshNetworks);
        }
        if op.touches_volumes() {
            effects.push(Effect::RefreshVolumes);
        }
        effects
    }

    /// `remove_container`: asks first (the popup names the container).
    pub(crate) fn ask_remove(&mut self) -> Vec<Effect> {
        match self.selected_container() {
            Some(c) => self.popup = Some(Popup::ConfirmRemove(c.name().to_string())),
            None => self.error("no container selected"),
        }
        vec![]
    }
}
