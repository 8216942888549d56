//! Compose projects in the container list: the containers of one project (label
//! `com.docker.compose.project`) are kept together where the project's first one sorts,
//! drawn as a tree under it (`▾`, `│`, `└`), and a project can be folded into its first
//! row, which then sums the project up (`▸ shop: 3 containers, 2 running`).

use crate::engine::{Container, Status};
use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::panes::containers::state::ContainersState;

/// The label Compose (and `berth compose`) puts on a project's containers.
pub const PROJECT_LABEL: &str = "com.docker.compose.project";

/// The compose project of `c`, if any.
pub fn project(c: &Container) -> Option<&str> {
    c.config
        .labels
        .get(PROJECT_LABEL)
        .map(String::as_str)
        .filter(|p| !p.is_empty())
}

/// Moves each project's containers right after its first one (in the list's order),
/// keeping the order within the project and of everything else.
pub fn gather(list: &mut Vec<Container>) {
    let mut out: Vec<Container> = Vec::with_capacity(list.len());
    let mut rest: Vec<Option<Container>> = std::mem::take(list).into_iter().map(Some).collect();
    for i in 0..rest.len() {
        let Some(c) = rest[i].take() else { continue };
        let p = project(&c).map(str::to_string);
        out.push(c);
        if let Some(p) = p {
            for slot in rest.iter_mut().skip(i + 1) {
                if slot.as_ref().and_then(project) == Some(p.as_str()) {
                    out.extend(slot.take());
                }
            }
        }
    }
    *list = out;
}

impl ContainersState {
    /// Whether `i` is the first row of its project (the one a folded project shows).
    pub fn heads_group(&self, i: usize) -> bool {
        let Some(p) = self.list.get(i).and_then(project) else {
            return false;
        };
        i == 0 || self.list.get(i - 1).and_then(project) != Some(p)
    }

    /// Whether row `i` is hidden in a folded project.
    pub fn folded_away(&self, i: usize) -> bool {
        self.list
            .get(i)
            .and_then(project)
            .is_some_and(|p| self.folded.contains(p) && !self.heads_group(i))
    }

    /// The NAME cell of row `i`: the name under its project's tree, or the folded
    /// project's summary.
    pub fn name_cell(&self, i: usize) -> String {
        let c = &self.list[i];
        let Some(p) = project(c) else {
            return c.name().to_string();
        };
        let members: Vec<&Container> = self.list.iter().filter(|o| project(o) == Some(p)).collect();
        if self.folded.contains(p) {
            let running = members
                .iter()
                .filter(|m| m.state.status == Status::Running)
                .count();
            let n = members.len();
            return format!(
                "▸ {p}: {n} container{}, {running} running",
                if n == 1 { "" } else { "s" }
            );
        }
        let last = self
            .list
            .get(i + 1)
            .and_then(project)
            .is_none_or(|next| next != p);
        let mark = if self.heads_group(i) {
            "▾"
        } else if last {
            "└"
        } else {
            "│"
        };
        format!("{mark} {}", c.name())
    }
}

impl App {
    /// Folds the selected container's compose project into one row, or unfolds it.
    pub(crate) fn toggle_project(&mut self) -> Vec<Effect> {
        let Some(p) = self
            .selected_container()
            .and_then(project)
            .map(str::to_string)
        else {
            self.error("the selected container belongs to no compose project");
            return vec![];
        };
        let state = &mut self.containers;
        if !state.folded.remove(&p) {
            state.folded.insert(p.clone());
            // The selection moves to the row the project folds into.
            if let Some(head) = (0..state.list.len())
                .find(|i| project(&state.list[*i]) == Some(p.as_str()) && state.heads_group(*i))
            {
                state.selected = head;
            }
        }
        self.follow_selected()
    }
}
