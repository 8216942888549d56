//! The panes that take the focus, and what each one is: full screen, under the list, its
//! own key scope.

use super::keymap::Scope;

/// The panes that take the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The container list.
    Containers,
    /// The selected container's log.
    Logs,
    /// Live charts of the selected container.
    Stats,
    /// The selected container's processes.
    Top,
    /// Images, their history and layer files (takes the whole screen).
    Images,
    /// Networks, their containers and DNS queries (takes the whole screen).
    Networks,
    /// A shell in (or attached to) the selected container; every key goes to it.
    Shell,
    /// Volumes, their sizes and users (takes the whole screen).
    Volumes,
    /// The selected container's changed files (`berth diff`, live).
    Changes,
    /// The selected container's events, log lines and samples on one time axis.
    Timeline,
    /// The networks and containers drawn as a graph (takes the whole screen).
    Topology,
}

impl Pane {
    /// The order `next_pane` goes through.
    pub const ORDER: [Pane; 7] = [
        Pane::Containers,
        Pane::Logs,
        Pane::Stats,
        Pane::Top,
        Pane::Images,
        Pane::Networks,
        Pane::Volumes,
    ];

    /// Whether the pane takes the whole screen (no container list).
    pub fn is_full_screen(self) -> bool {
        matches!(
            self,
            Pane::Images | Pane::Networks | Pane::Volumes | Pane::Topology
        )
    }

    /// The key scope whose bindings come before the panes' ones while the pane has the
    /// focus (the Shell pane's keys go to the shell: it has none here).
    pub fn scope(self) -> Option<Scope> {
        match self {
            Pane::Images => Some(Scope::Images),
            Pane::Networks => Some(Scope::Networks),
            Pane::Volumes => Some(Scope::Volumes),
            Pane::Topology => Some(Scope::Topology),
            Pane::Stats => Some(Scope::Stats),
            Pane::Logs => Some(Scope::Logs),
            Pane::Timeline => Some(Scope::Timeline),
            Pane::Containers | Pane::Top | Pane::Shell | Pane::Changes => None,
        }
    }

    /// Whether the pane shows under the container list (one of them at a time).
    pub fn is_detail(self) -> bool {
        matches!(
            self,
            Pane::Logs | Pane::Stats | Pane::Top | Pane::Changes | Pane::Timeline
        )
    }
}
