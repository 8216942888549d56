//! `App::update` for a run of an image typed in (`R` in the Images pane): as `berth run -d`
//! does, a missing image is pulled first (with the pull gauges), then the container is
//! created and started. The runner reports a missing image as [`Action::RunNeedsPull`]
//! instead of failing the run.
//!
//! [`Action::RunNeedsPull`]: crate::tui::action::Action::RunNeedsPull

use crate::tui::action::{Effect, EngineOp};
use crate::tui::app::{App, Popup, Prompt, PromptKind};
use crate::tui::panes::transfer::state::TransferKind;

/// A run waiting for the pull of its image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRun {
    /// The run (`EngineOp::RunImage`) to start again once the image is there.
    pub op: EngineOp,
    /// The image pulled.
    pub image: String,
    /// The pull succeeded and the run was started again (it must not pull twice).
    pub pulled: bool,
}

impl App {
    /// Opens the prompt for `IMAGE [NAME]`.
    pub(crate) fn ask_run_by_name(&mut self) -> Vec<Effect> {
        self.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::RunByName,
            input: String::new(),
        }));
        vec![]
    }

    /// Runs what the prompt names: `IMAGE` or `IMAGE NAME`.
    pub(crate) fn run_by_name_from(&mut self, p: Prompt) -> Vec<Effect> {
        let words: Vec<&str> = p.input.split_whitespace().collect();
        match words.as_slice() {
            [image] => self.start_op(EngineOp::RunImage {
                image: image.to_string(),
                name: None,
                network: self.settings.default_network.clone(),
            }),
            [image, name] => self.start_op(EngineOp::RunImage {
                image: image.to_string(),
                name: Some(name.to_string()),
                network: self.settings.default_network.clone(),
            }),
            _ => {
                self.error("type IMAGE or IMAGE NAME, e.g. busybox web, or press esc");
                self.popup = Some(Popup::Prompt(p));
                vec![]
            }
        }
    }

    /// The run's image is missing: pull it (with the gauges), then run again.
    pub(crate) fn run_needs_pull(&mut self, op: EngineOp) -> Vec<Effect> {
        self.pending.remove(&op.pending_key());
        let EngineOp::RunImage { image, .. } = &op else {
            return vec![];
        };
        let image = image.clone();
        if let Some(p) = self
            .images
            .run_after_pull
            .take_if(|p| p.op == op && p.pulled)
        {
            self.command_log
                .push(format!("#   failed: no such image: '{}'", p.image));
            self.error(format!(
                "{}: no such image: '{image}' after its pull",
                op.cli_line()
            ));
            return vec![];
        }
        if let Some(t) = &self.transfer {
            self.error(format!(
                "{}: '{image}' must be pulled first; still {} '{}': wait for it to finish",
                op.cli_line(),
                t.kind.doing(),
                t.reference
            ));
            return vec![];
        }
        self.command_log
            .push(format!("#   Unable to find image '{image}' locally"));
        self.images.run_after_pull = Some(PendingRun {
            op,
            image: image.clone(),
            pulled: false,
        });
        self.start_transfer(TransferKind::Pull, image)
    }

    /// A pull ended: the run waiting for it starts now, or is dropped when it failed.
    pub(crate) fn pull_for_run_finished(&mut self, reference: &str, ok: bool) -> Vec<Effect> {
        let Some(p) = self
            .images
            .run_after_pull
            .take_if(|p| !p.pulled && p.image == reference)
        else {
            return vec![];
        };
        if !ok {
            return vec![];
        }
        let op = p.op.clone();
        self.images.run_after_pull = Some(PendingRun { pulled: true, ..p });
        self.start_op(op)
    }

    /// A run ended (started or failed): nothing waits for it any more.
    pub(crate) fn run_finished(&mut self, op: &EngineOp) {
        self.images.run_after_pull.take_if(|p| p.op == *op);
    }
}
