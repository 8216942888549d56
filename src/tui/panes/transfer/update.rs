//! `App::update` for pulls and pushes: the pull prompt, the push of the selected image,
//! progress events folded into the gauges, and the outcome in the status bar.

use crate::engine::Progress;
use crate::tui::action::Effect;
use crate::tui::app::{App, Popup, Prompt, PromptKind};
use crate::tui::panes::transfer::state::{Transfer, TransferKind};

impl App {
    /// Opens the pull prompt (a reference).
    pub(crate) fn ask_pull(&mut self) -> Vec<Effect> {
        self.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::Pull,
            input: String::new(),
        }));
        vec![]
    }

    /// Pushes the selected image, by its reference (an untagged image has none to push).
    pub(crate) fn push_selected(&mut self) -> Vec<Effect> {
        let Some(row) = self.images.current() else {
            self.error("no image selected: pull or import one first");
            return vec![];
        };
        match row.reference.clone() {
            Some(r) => self.start_transfer(TransferKind::Push, r),
            None => {
                let id = row.image.short_id().to_string();
                self.error(format!(
                    "image '{id}' has no name to push: tag it first (e.g. localhost:5000/app:1)"
                ));
                vec![]
            }
        }
    }

    /// Starts a pull or push unless one is running (one at a time, so the gauges are its).
    pub(crate) fn start_transfer(&mut self, kind: TransferKind, reference: String) -> Vec<Effect> {
        if let Some(t) = &self.transfer {
            self.error(format!(
                "still {} '{}': wait for it to finish",
                t.kind.doing(),
                t.reference
            ));
            return vec![];
        }
        self.command_log.push(kind.cli_line(&reference));
        self.info(format!("{} '{reference}'…", kind.doing()));
        self.transfer = Some(Transfer::new(kind, reference.clone()));
        vec![Effect::Transfer {
            kind,
            reference,
            registries: self.settings.registries.clone(),
        }]
    }

    pub(crate) fn transfer_progress(&mut self, p: Progress) -> Vec<Effect> {
        if let Some(t) = &mut self.transfer {
            t.apply(p);
        }
        vec![]
    }

    pub(crate) fn transfer_finished(
        &mut self,
        kind: TransferKind,
        reference: String,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        if self
            .transfer
            .as_ref()
            .is_some_and(|t| t.kind == kind && t.reference == reference)
        {
            self.transfer = None;
        }
        let pulled = result.is_ok();
        match result {
            Ok(line) => self.info(line),
            Err(e) => {
                self.command_log
                    .push(format!("#   failed: {}", crate::engine::printable(&e)));
                self.error(format!("{}: {e}", kind.cli_line(&reference)));
            }
        }
        let mut effects = vec![Effect::ListImages];
        if kind == TransferKind::Pull {
            effects.extend(self.pull_for_run_finished(&reference, pulled));
        }
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::TransferKind;
    use crate::tui::action::Action;
    use crate::tui::app::{App, AppSettings};
    use crate::tui::keymap::Keymap;

    #[test]
    fn a_registry_error_is_shown_without_its_control_characters() {
        let mut a = App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        );
        a.update(Action::TransferFinished {
            kind: TransferKind::Pull,
            reference: "evil:1".into(),
            result: Err("not a tar: \u{1b}[2J\u{1b}]0;pwned\u{7}".into()),
        });
        let msg = a.status.clone().expect("message");
        assert!(msg.text.ends_with("not a tar: [2J]0;pwned"), "{}", msg.text);
        for line in &a.command_log {
            assert!(!line.chars().any(char::is_control), "{line:?}");
        }
    }
}
