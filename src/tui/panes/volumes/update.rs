//! `App::update` for the Volumes pane: lists arriving, opening it, moving, and the
//! create, remove and prune popups and what confirming them does.

use crate::engine::VolumeOverview;
use crate::tui::action::{Effect, EngineOp};
use crate::tui::app::{App, Pane, Popup, Prompt, PromptKind};

impl App {
    /// A fresh list (or why reading failed).
    pub(crate) fn volumes_listed(
        &mut self,
        result: Result<Vec<VolumeOverview>, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(list) => self.volumes.apply(list),
            Err(e) => self.volumes.error = Some(e),
        }
        vec![]
    }

    /// The watcher runs while the Volumes pane shows.
    pub(crate) fn sync_volumes_watcher(&mut self) -> Vec<Effect> {
        let want = self.focus == Pane::Volumes;
        if want == self.volumes.watching {
            return vec![];
        }
        self.volumes.watching = want;
        vec![Effect::WatchVolumes(want)]
    }

    /// Shows the Volumes pane.
    pub(crate) fn open_volumes(&mut self) -> Vec<Effect> {
        if self.focus != Pane::Volumes {
            self.focus = Pane::Volumes;
            self.command_log.push("berth volume ls".to_string());
        }
        vec![]
    }

    pub(crate) fn volumes_move(&mut self, delta: isize) -> Vec<Effect> {
        let last = self.volumes.list.len().saturating_sub(1);
        self.volumes.selected = self.volumes.selected.saturating_add_signed(delta).min(last);
        vec![]
    }

    /// Asks for the new volume's name.
    pub(crate) fn ask_create_volume(&mut self) -> Vec<Effect> {
        self.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::CreateVolume,
            input: String::new(),
        }));
        vec![]
    }

    /// Creates the volume named in the prompt (a name is needed: an anonymous volume
    /// from the dashboard would only be pruned again).
    pub(crate) fn create_volume_from(&mut self, p: Prompt) -> Vec<Effect> {
        let name = p.input.trim().to_string();
        if name.is_empty() {
            self.error("type the new volume's name, e.g. data, or press esc");
            self.popup = Some(Popup::Prompt(p));
            return vec![];
        }
        self.start_op(EngineOp::CreateVolume(name))
    }

    /// Asks before removing the selected volume; one in use says who uses it instead.
    pub(crate) fn ask_remove_volume(&mut self) -> Vec<Effect> {
        match self.volumes.current() {
            None => self.error("no volume selected: create one with a"),
            Some(v) if !v.users.is_empty() => {
                let text = format!(
                    "volume '{}' is in use by {}: remove the container first",
                    v.volume.name(),
                    v.users.join(", ")
                );
                self.error(text);
            }
            Some(v) => self.popup = Some(Popup::ConfirmRemoveVolume(v.volume.name().to_string())),
        }
        vec![]
    }

    /// Asks before pruning (what `volume prune` removes: anonymous volumes no container
    /// uses).
    pub(crate) fn ask_prune_volumes(&mut self) -> Vec<Effect> {
        let unused = self
            .volumes
            .list
            .iter()
            .filter(|v| v.users.is_empty() && v.volume.is_anonymous())
            .count();
        self.popup = Some(Popup::ConfirmPruneVolumes(unused));
        vec![]
    }
}
