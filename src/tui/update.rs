//! `App::update`: the only place the dashboard's state changes. No I/O here: requests for
//! the outside world are returned as `Effect`s.

use super::action::{Action, Effect, EngineOp};
use super::app::{App, Popup};
use super::keymap::{Scope, UserAction};
use super::keys::Key;
use super::panes::shell::state::ShellKind;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

impl App {
    /// What to do when the dashboard opens.
    pub fn init(&mut self) -> Vec<Effect> {
        let mut effects = vec![Effect::RefreshContainers];
        effects.extend(self.sync_watchers());
        effects.extend(self.sync_timeline_watcher());
        effects
    }

    /// Applies one action; returns what the runner must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = self.apply(action);
        effects.extend(self.sync_watchers());
        effects.extend(self.sync_timeline_watcher());
        effects.extend(self.sync_shell_size());
        effects
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(ev) => self.key(ev),
            Action::User(a) => self.user(a),
            Action::ContainersListed(Ok(list)) => self.set_containers(list),
            Action::NetworksOfContainers(m) => {
                self.containers.memberships = m;
                vec![]
            }
            Action::ContainersListed(Err(e)) => {
                self.error(format!("cannot list containers: {e}"));
                vec![]
            }
            Action::LogLines { generation, lines } => self.log_lines(generation, lines),
            Action::LogEnded { generation, error } => self.log_ended(generation, error),
            Action::OpFinished { op, result } => self.op_finished(op, result),
            Action::ImagesListed(result) => {
                let mut effects = self.images_listed(result);
                effects.extend(self.select_built_image());
                effects
            }
            Action::TreeComputed { image_id, result } => self.tree_computed(image_id, result),
            Action::StatsSampled(samples) => {
                let timeline = self.timeline_in(&samples);
                let effects = self.stats_sampled(samples);
                if timeline {
                    self.timeline_sampled();
                }
                effects
            }
            Action::TopListed { generation, result } => self.top_listed(generation, result),
            Action::CommandLogSaved(result) => {
                self.command_log_saved(result);
                vec![]
            }
            Action::Tick(now) => {
                self.now = now;
                vec![]
            }
            Action::Mouse(m) => self.mouse(m),
            Action::CommandFinished { line, result } => self.command_finished(line, result),
            Action::Resize { width, height } => {
                self.height = height;
                self.width = width;
                self.shell.width = width;
                vec![]
            }
            Action::Quit => vec![Effect::Quit],
            Action::NetworksSampled(result) => self.networks_sampled(result),
            Action::ShellScreen { session, screen } => self.shell_screen(session, screen),
            Action::ShellEnded { session, why } => self.shell_ended(session, why),
            Action::MergedLogLines {
                generation,
                source,
                lines,
            } => self.merged_lines(generation, source, lines),
            Action::LogSaved(result) => self.log_saved(result),
            Action::BuildProgress(e) => self.build_progress(e),
            Action::BuildFinished(result) => self.build_finished(result),
            Action::RunNeedsPull(op) => self.run_needs_pull(op),
            Action::TransferProgress(p) => self.transfer_progress(p),
            Action::TransferFinished {
                kind,
                reference,
                result,
            } => self.transfer_finished(kind, reference, result),
            Action::Inspected { kind, name, result } => self.inspected(kind, name, result),
            Action::VolumesListed(result) => self.volumes_listed(result),
            Action::TopologySampled(result) => self.topology_sampled(result),
            Action::ChangesListed { generation, result } => self.changes_listed(generation, result),
            Action::TimelineEvents { generation, result } => {
                self.timeline_events(generation, result)
            }
            Action::TimelineLines { generation, lines } => self.timeline_lines(generation, lines),
        }
    }

    /// A key press: the Shell pane's keys first, Ctrl-C, a prompt or form being typed
    /// in, then the keymap.
    fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if ev.kind == KeyEventKind::Release {
            return vec![];
        }
        if let Some(effects) = self.shell_key(&ev) {
            return effects;
        }
        let key = Key::from_event(&ev);
        if key.code == KeyCode::Char('c') && key.mods == KeyModifiers::CONTROL {
            // Ctrl-C always leaves, whatever the keymap says.
            return vec![Effect::Quit];
        }
        if let Some(effects) = self.inspect_key(key) {
            return effects;
        }
        if let Some(effects) = self.prompt_key(key) {
            return effects;
        }
        if let Some(effects) = self.build_form_key(key) {
            return effects;
        }
        if let Some(effects) = self.palette_key(key) {
            return effects;
        }
        if let Some(effects) = self.filter_key(key) {
            return effects;
        }
        match self.resolve(key) {
            Some(a) => self.user(a),
            None => vec![],
        }
    }

    /// The command log was saved and copied, or saving failed.
    fn command_log_saved(&mut self, result: Result<std::path::PathBuf, String>) {
        match result {
            Ok(path) => self.info(format!(
                "command log saved to '{}' and copied to the clipboard (OSC 52, {} lines)",
                path.display(),
                self.command_log.len()
            )),
            Err(e) => self.error(e),
        }
    }

    /// The action a key means now: popups see their own bindings, and the help popup
    /// also closes with the keys of `help` and `quit`.
    fn resolve(&self, key: Key) -> Option<UserAction> {
        match &self.popup {
            None => self
                .focus
                .scope()
                .and_then(|own| self.keymap.lookup(key, own))
                .or_else(|| self.keymap.lookup(key, Scope::Main)),
            Some(p) => match self.keymap.lookup(key, Scope::Popup) {
                Some(a) => Some(a),
                None if p.scrolls() => match self.keymap.lookup(key, Scope::Main) {
                    Some(UserAction::Help | UserAction::Quit) => Some(UserAction::ClosePopup),
                    // Moves scroll a help taller than the screen.
                    Some(
                        a @ (UserAction::MoveDown
                        | UserAction::MoveUp
                        | UserAction::PageDown
                        | UserAction::PageUp
                        | UserAction::GoTop
                        | UserAction::GoBottom),
                    ) => Some(a),
                    _ => None,
                },
                None => None,
            },
        }
    }

    pub(crate) fn user(&mut self, a: UserAction) -> Vec<Effect> {
        use UserAction::*;
        if a != Quit {
            self.quit_armed = false;
        }
        if self.popup.as_ref().is_some_and(Popup::scrolls) && self.scroll_help(a) {
            return vec![];
        }
        let popup_action = matches!(
            a,
            ClosePopup | Confirm | Cancel | Help | Quit | NextChoice | PrevChoice
        );
        if self.popup.is_some() && !popup_action {
            return vec![];
        }
        if let Some(effects) = self.navigate(a) {
            return effects;
        }
        if let Some(effects) = self.pane_action(a) {
            return effects;
        }
        self.app_action(a)
    }

    /// Moves scroll the help popup (true when `a` was one).
    fn scroll_help(&mut self, a: UserAction) -> bool {
        use UserAction::*;
        let page = self.page();
        let s = &mut self.help_scroll;
        match a {
            MoveDown => *s = s.saturating_add(1),
            MoveUp => *s = s.saturating_sub(1),
            PageDown => *s = s.saturating_add(page),
            PageUp => *s = s.saturating_sub(page),
            GoTop => *s = 0,
            // The render clamps it to the last screenful.
            GoBottom => *s = usize::MAX / 2,
            _ => return false,
        }
        true
    }

    /// The actions of one pane (they act on its selection); `None` when `a` is not one.
    fn pane_action(&mut self, a: UserAction) -> Option<Vec<Effect>> {
        use UserAction::*;
        let effects = match a {
            CycleSort => self.cycle_sort(),
            SignalProcess => self.ask_signal(),
            TagImage => self.ask_tag(),
            RemoveImage => self.ask_remove_image(),
            RunImage => self.ask_run(),
            RunImageByName => self.ask_run_by_name(),
            BuildImage => self.ask_build(),
            ToggleTreeView => self.toggle_tree_view(),
            CreateNetwork => self.ask_create_network(),
            RemoveNetwork => self.ask_remove_network(),
            ConnectNetwork => self.ask_connect(true),
            DisconnectNetwork => self.ask_connect(false),
            ExecShell => self.open_shell(ShellKind::Exec),
            AttachContainer => self.open_shell(ShellKind::Attach),
            LeaveShell => self.leave_shell(),
            SearchLog => self.ask_search(),
            FilterList => self.start_filter(),
            CommandPalette => self.open_palette(),
            NextMatch => self.jump_match(true),
            PrevMatch => self.jump_match(false),
            FilterLog => self.toggle_filter(),
            ToggleTimestamps => self.toggle_log_view(false),
            ToggleWrap => self.toggle_log_view(true),
            SaveLog => self.save_log(),
            MarkContainer => self.toggle_mark(),
            MergeLogs => self.toggle_merged(),
            PullImage => self.ask_pull(),
            PushImage => self.push_selected(),
            Inspect => self.open_inspect(),
            ToggleProject => self.toggle_project(),
            CreateVolume => self.ask_create_volume(),
            RemoveVolume => self.ask_remove_volume(),
            PruneVolumes => self.ask_prune_volumes(),
            ExpandTimeline => self.timeline_enter(),
            NodeLeft => self.topology_move(-1, 0),
            NodeRight => self.topology_move(1, 0),
            OpenNode => self.open_node(),
            LeaveTopology => self.leave_topology(),
            ToggleFollow => self.toggle_follow(),
            NextChart => self.cycle_chart(1),
            PrevChart => self.cycle_chart(-1),
            StopContainer => self.op(EngineOp::Stop),
            StartContainer => self.op(EngineOp::Start),
            RestartContainer => self.op(EngineOp::Restart),
            RemoveContainer => self.ask_remove(),
            _ => return None,
        };
        Some(effects)
    }

    /// The dashboard's own actions: help, quit, the command log, popups answered.
    fn app_action(&mut self, a: UserAction) -> Vec<Effect> {
        use UserAction::*;
        match a {
            CopyCommandLog => {
                if self.command_log.is_empty() {
                    self.info(
                        "the command log is empty: actions you take appear there as berth commands",
                    );
                    return vec![];
                }
                let mut text = self.command_log.join("\n");
                text.push('\n');
                vec![Effect::CopyCommandLog {
                    text,
                    file: self.settings.command_log_file.clone(),
                }]
            }
            ToggleZoom => {
                self.zoomed = !self.zoomed;
                vec![]
            }
            Help => {
                self.popup = match self.popup {
                    Some(Popup::Help) => None,
                    None => Some(Popup::Help),
                    ref other => other.clone(),
                };
                self.help_scroll = 0;
                vec![]
            }
            Quit => match self.popup {
                Some(_) => self.close_popup(),
                None => self.quit(),
            },
            ClosePopup | Cancel => self.close_popup(),
            NextChoice => self.choice_by(1),
            PrevChoice => self.choice_by(-1),
            Confirm => match self.popup.take() {
                Some(Popup::ConfirmRemove(name)) => {
                    let op = EngineOp::Remove {
                        name,
                        force: true,
                        volumes: false,
                    };
                    self.start_op(op)
                }
                Some(other @ Popup::Help) => {
                    self.popup = Some(other);
                    vec![]
                }
                Some(Popup::Output { .. }) => vec![],
                Some(other) => self.confirm_popup(other),
                None => vec![],
            },
            // Moves and pane actions: handled by `navigate` and `pane_action`.
            _ => vec![],
        }
    }

    /// Quits, unless an engine call is still running and this is the first `q`: leaving
    /// would abandon it (a stop that sent SIGTERM would never send SIGKILL).
    fn quit(&mut self) -> Vec<Effect> {
        let busy = self
            .pending
            .values()
            .map(|op| format!("{} '{}'", op.doing_verb(), op.name()))
            .chain(
                self.transfer
                    .iter()
                    .map(|t| format!("{} '{}'", t.kind.doing(), t.reference)),
            )
            .chain(
                self.palette
                    .running
                    .iter()
                    .map(|l| format!("running '{l}'")),
            )
            .collect::<Vec<_>>();
        if busy.is_empty() || self.quit_armed {
            return vec![Effect::Quit];
        }
        self.quit_armed = true;
        let keys = self.keymap.keys_text(UserAction::Quit);
        self.error(format!(
            "still {}: press {keys} again to leave anyway (the call is abandoned)",
            busy.join(", ")
        ));
        vec![]
    }

    fn close_popup(&mut self) -> Vec<Effect> {
        match self.popup.take() {
            Some(Popup::ConfirmRemove(name) | Popup::ConfirmRemoveImage { name, .. }) => {
                self.info(format!("kept '{name}'"))
            }
            Some(Popup::ConfirmSignal { pid, .. }) => self.info(format!("no signal sent to {pid}")),
            Some(Popup::ConfirmRemoveNetwork(name)) => self.info(format!("kept network '{name}'")),
            Some(Popup::ConfirmRemoveVolume(name)) => self.info(format!("kept volume '{name}'")),
            _ => {}
        }
        vec![]
    }
}
