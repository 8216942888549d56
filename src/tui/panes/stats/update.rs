//! `App::update` for the Stats and Top panes and the container list's order: which
//! background watchers run (only while their pane shows), samples and process lists
//! arriving, sorting, and the signal confirmation.

use crate::engine::ProcessInfo;
use crate::engine::StatsSample;
use crate::tui::action::{Effect, quote};
use crate::tui::app::{App, ContainerSort, Pane, Popup};

impl App {
    /// The watcher effects that make the running watchers match what is on screen: the
    /// stats sampler while the container list shows (its sparklines, the Stats pane),
    /// the Top watcher while the Top pane shows a running container.
    pub(crate) fn sync_watchers(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        let list_visible = !self.focus.is_full_screen();
        if list_visible != self.metrics.watching {
            self.metrics.watching = list_visible;
            effects.push(Effect::WatchStats(list_visible));
        }
        let want = if list_visible && self.detail == Pane::Top {
            self.selected_container()
                .filter(|c| c.state.status.has_shim())
                .map(|c| c.name().to_string())
        } else {
            None
        };
        if want != self.top.container {
            let generation = self.top.reset(want.clone());
            effects.push(Effect::WatchTop {
                container: want,
                generation,
            });
        }
        effects.extend(self.sync_networks_watcher());
        effects.extend(self.sync_volumes_watcher());
        effects.extend(self.sync_topology_watcher());
        effects.extend(self.sync_changes_watcher());
        effects
    }

    /// Focuses `pane`; a detail pane also becomes the one under the list.
    pub(crate) fn focus_pane(&mut self, pane: Pane) -> Vec<Effect> {
        self.focus = pane;
        if pane.is_detail() {
            self.detail = pane;
        }
        if pane == Pane::Images {
            let mut effects = vec![Effect::ListImages];
            effects.extend(self.ensure_tree());
            return effects;
        }
        vec![]
    }

    /// Focuses a pane from its own key, and logs the command that shows the same.
    pub(crate) fn show_pane(&mut self, pane: Pane) -> Vec<Effect> {
        let name = self.selected_container().map(|c| quote(c.name()));
        let line = match (pane, name) {
            (Pane::Stats, Some(n)) => Some(format!("berth stats {n}")),
            (Pane::Top, Some(n)) => Some(format!("berth top {n}")),
            (Pane::Changes, Some(n)) => Some(format!("berth diff {n}")),
            (Pane::Images, _) => Some("berth images".to_string()),
            _ => None,
        };
        if self.focus != pane
            && let Some(line) = line
        {
            self.command_log.push(line);
        }
        self.focus_pane(pane)
    }

    /// Shows the chart `step` places on in the Stats pane's tab row (when not all fit).
    pub(crate) fn cycle_chart(&mut self, step: isize) -> Vec<Effect> {
        use crate::tui::panes::stats::state::CHARTS;
        let n = CHARTS.len() as isize;
        self.metrics.chart = (self.metrics.chart as isize + step).rem_euclid(n) as usize;
        vec![]
    }

    /// Cycles the order of the processes (Top focused) or of the container list.
    pub(crate) fn cycle_sort(&mut self) -> Vec<Effect> {
        if self.focus == Pane::Top {
            self.top.sort = self.top.sort.next();
            self.top.resort();
            self.info(format!("processes sorted by {}", self.top.sort.label()));
        } else {
            self.containers.sort = self.containers.sort.next();
            let keep = self.selected_container().map(|c| c.id().to_string());
            self.sort_containers(keep);
            self.info(format!(
                "containers sorted by {}",
                self.containers.sort.label()
            ));
        }
        vec![]
    }

    /// Orders the container list by `sort`, keeping container `keep` selected.
    pub(crate) fn sort_containers(&mut self, keep: Option<String>) {
        let metrics = &self.metrics;
        let cpu = |id: &str| metrics.latest(id).map_or(-1.0, |p| p.cpu);
        let mem = |id: &str| metrics.latest(id).map_or(0, |p| p.mem);
        match self.containers.sort {
            // The engine lists newest first: keep its order.
            ContainerSort::Age => {
                let order = &self.containers.ps_order;
                let at = |id: &str| order.iter().position(|o| o == id);
                self.containers.list.sort_by_key(|c| at(c.id()));
            }
            ContainerSort::Name => self.containers.list.sort_by(|a, b| a.name().cmp(b.name())),
            ContainerSort::Cpu => self.containers.list.sort_by(|a, b| {
                cpu(b.id())
                    .total_cmp(&cpu(a.id()))
                    .then(a.name().cmp(b.name()))
            }),
            ContainerSort::Memory => self
                .containers
                .list
                .sort_by(|a, b| mem(b.id()).cmp(&mem(a.id())).then(a.name().cmp(b.name()))),
        }
        crate::tui::panes::containers::groups::gather(&mut self.containers.list);
        if let Some(i) = keep
            .as_deref()
            .and_then(|id| self.containers.list.iter().position(|c| c.id() == id))
        {
            self.containers.selected = i;
        }
        self.containers.selected = self
            .containers
            .selected
            .min(self.containers.list.len().saturating_sub(1));
        // With a filter, the selection stays on a row that shows.
        let list = &mut self.containers;
        if let Some(i) = crate::tui::filter::step(&list.visible(), list.selected, 0) {
            list.selected = i;
        }
    }

    pub(crate) fn stats_sampled(&mut self, samples: Vec<StatsSample>) -> Vec<Effect> {
        let keep = self.containers.selected_id();
        self.metrics.push(samples, keep.as_deref());
        if matches!(
            self.containers.sort,
            ContainerSort::Cpu | ContainerSort::Memory
        ) {
            self.sort_containers(keep);
        }
        vec![]
    }

    pub(crate) fn top_listed(
        &mut self,
        generation: u64,
        result: Result<Vec<ProcessInfo>, String>,
    ) -> Vec<Effect> {
        if generation == self.top.generation {
            match result {
                Ok(procs) => {
                    self.top.set(procs);
                    let top = &mut self.top;
                    if let Some(i) = crate::tui::filter::step(&top.visible(), top.selected, 0) {
                        top.selected = i;
                    }
                }
                Err(e) => self.top.error = Some(e),
            }
        }
        vec![]
    }

    /// Opens the signal confirmation for the selected process.
    pub(crate) fn ask_signal(&mut self) -> Vec<Effect> {
        if self.focus != Pane::Top {
            let keys = self
                .keymap
                .keys_text(crate::tui::keymap::UserAction::FocusTop);
            self.error(format!(
                "select a process in the Top pane first (press {keys})"
            ));
            return vec![];
        }
        match (self.top.container.clone(), self.top.current()) {
            (Some(container), Some(p)) => {
                self.popup = Some(Popup::ConfirmSignal {
                    container,
                    pid: p.pid,
                    command: p.command.clone(),
                    choice: 0,
                });
            }
            _ => self.error("no process selected"),
        }
        vec![]
    }
}
