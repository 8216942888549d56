//! `App::update` for the popups added with the Images and Top panes: typing in a prompt,
//! choosing in a confirmation, and what confirming does.

use super::action::{Effect, EngineOp};
use super::app::{App, Popup, PromptKind};
use super::keys::Key;
use crate::tui::panes::top::state::SIGNALS;
use crossterm::event::{KeyCode, KeyModifiers};

impl App {
    /// In a prompt, characters and backspace edit the text (so `y` and `n` are letters
    /// there); other keys go through the keymap (enter confirms, esc closes).
    pub(super) fn prompt_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        let Some(Popup::Prompt(p)) = &mut self.popup else {
            return None;
        };
        match key.code {
            KeyCode::Char(c) if key.mods == KeyModifiers::NONE => p.input.push(c),
            KeyCode::Backspace => {
                p.input.pop();
            }
            _ => return None,
        }
        Some(vec![])
    }

    /// Moves the choice of the open confirmation (the signal, or force on/off).
    pub(super) fn choice_by(&mut self, delta: isize) -> Vec<Effect> {
        match &mut self.popup {
            Some(Popup::ConfirmSignal { choice, .. }) => {
                let n = SIGNALS.len() as isize;
                *choice = (*choice as isize + delta).rem_euclid(n) as usize;
            }
            Some(Popup::ConfirmRemoveImage { force, .. }) => *force = !*force,
            Some(Popup::NetworkConnect {
                containers, choice, ..
            }) => {
                let n = containers.len().max(1) as isize;
                *choice = (*choice as isize + delta).rem_euclid(n) as usize;
            }
            Some(Popup::Build(f)) => f.move_field(delta),
            _ => {}
        }
        vec![]
    }

    /// Confirms `popup` (already taken out of `self.popup`).
    pub(super) fn confirm_popup(&mut self, popup: Popup) -> Vec<Effect> {
        match popup {
            Popup::ConfirmRemoveImage { name, force } => {
                self.start_op(EngineOp::RemoveImage { name, force })
            }
            Popup::ConfirmSignal {
                container,
                pid,
                choice,
                ..
            } => {
                let signal = SIGNALS.get(choice).copied().unwrap_or("TERM").to_string();
                self.start_op(EngineOp::Signal {
                    container,
                    pid,
                    signal,
                })
            }
            Popup::Prompt(p) => {
                let text = p.input.trim().to_string();
                match p.kind.clone() {
                    PromptKind::Tag { source } if text.is_empty() => {
                        self.error(format!(
                            "type the new name for '{source}', e.g. me/app:1.0, or press esc"
                        ));
                        self.popup = Some(Popup::Prompt(p));
                        vec![]
                    }
                    PromptKind::Tag { source } => self.start_op(EngineOp::TagImage {
                        source,
                        target: text,
                    }),
                    PromptKind::Run { image } => self.start_op(EngineOp::RunImage {
                        image,
                        name: (!text.is_empty()).then_some(text),
                        network: self.settings.default_network.clone(),
                    }),
                    PromptKind::RunByName => self.run_by_name_from(p),
                    PromptKind::CreateNetwork => self.create_network_from(p),
                    PromptKind::CreateVolume => self.create_volume_from(p),
                    // Not trimmed: spaces may be what is searched for.
                    PromptKind::Search => self.search_log(&p.input),
                    PromptKind::Pull if text.is_empty() => {
                        self.error("type the image to pull, e.g. busybox:latest, or press esc");
                        self.popup = Some(Popup::Prompt(p));
                        vec![]
                    }
                    PromptKind::Pull => self.start_transfer(
                        crate::tui::panes::transfer::state::TransferKind::Pull,
                        text,
                    ),
                }
            }
            p @ (Popup::ConfirmRemoveNetwork(_) | Popup::NetworkConnect { .. }) => {
                self.confirm_network_popup(p)
            }
            Popup::Build(form) => self.confirm_build(form),
            Popup::ConfirmRemoveVolume(name) => self.start_op(EngineOp::RemoveVolume(name)),
            Popup::ConfirmPruneVolumes(_) => self.start_op(EngineOp::PruneVolumes),
            other => {
                self.popup = Some(other);
                vec![]
            }
        }
    }
}
