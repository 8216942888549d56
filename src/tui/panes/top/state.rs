//! The Top pane's state: the selected container's processes, their order, the selected
//! process (kept by pid across refreshes), and the signals offered for it.

use crate::engine::ProcessInfo;

/// The signals the signal popup offers, in order.
pub const SIGNALS: &[&str] = &["TERM", "KILL", "INT", "HUP"];

/// How processes are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopSort {
    /// Ascending pid.
    Pid,
    /// Most CPU first.
    Cpu,
    /// Most resident memory first.
    Memory,
    /// By command line.
    Command,
}

impl TopSort {
    /// The next order (`cycle_sort`).
    pub fn next(self) -> TopSort {
        match self {
            TopSort::Pid => TopSort::Cpu,
            TopSort::Cpu => TopSort::Memory,
            TopSort::Memory => TopSort::Command,
            TopSort::Command => TopSort::Pid,
        }
    }

    /// Its name in the title.
    pub fn label(self) -> &'static str {
        match self {
            TopSort::Pid => "pid",
            TopSort::Cpu => "cpu",
            TopSort::Memory => "memory",
            TopSort::Command => "command",
        }
    }
}

/// The Top pane.
#[derive(Debug, Clone)]
pub struct TopView {
    /// The container watched (running, selected, pane visible).
    pub container: Option<String>,
    /// Tag of the current watcher; older lists are dropped.
    pub generation: u64,
    /// The processes, in `sort` order.
    pub procs: Vec<ProcessInfo>,
    /// Whether a list arrived for this container.
    pub loaded: bool,
    /// Why the last refresh failed.
    pub error: Option<String>,
    /// The order.
    pub sort: TopSort,
    /// The selected row.
    pub selected: usize,
    /// The `/` filter over the processes.
    pub filter: crate::tui::filter::ListFilter,
}

impl Default for TopView {
    fn default() -> Self {
        TopView {
            container: None,
            generation: 0,
            procs: Vec::new(),
            loaded: false,
            error: None,
            sort: TopSort::Cpu,
            selected: 0,
            filter: Default::default(),
        }
    }
}

impl TopView {
    /// The selected process (none when the filter hides it).
    pub fn current(&self) -> Option<&ProcessInfo> {
        self.procs.get(self.selected).filter(|p| self.shows(p))
    }

    /// What the filter looks at in a row: pid, user, command.
    pub fn texts(p: &ProcessInfo) -> [String; 3] {
        [p.pid.to_string(), p.user.clone(), p.command.clone()]
    }

    /// Whether the filter lets `p` through (always, without a filter; the row's
    /// texts are only built while filtering).
    pub fn shows(&self, p: &ProcessInfo) -> bool {
        !self.filter.is_active() || self.filter.keeps(&Self::texts(p))
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.procs.len())
            .filter(|i| self.shows(&self.procs[*i]))
            .collect()
    }

    /// Takes a fresh list, keeping the same pid selected when it is still there.
    pub fn set(&mut self, procs: Vec<ProcessInfo>) {
        let pid = self.procs.get(self.selected).map(|p| p.pid);
        self.procs = procs;
        self.loaded = true;
        self.error = None;
        self.sort_keeping(pid);
    }

    /// Orders by `sort`, keeping the selected pid.
    pub fn resort(&mut self) {
        let pid = self.procs.get(self.selected).map(|p| p.pid);
        self.sort_keeping(pid);
    }

    fn sort_keeping(&mut self, pid: Option<i32>) {
        let by = self.sort;
        self.procs.sort_by(|a, b| {
            let o = match by {
                TopSort::Pid => a.pid.cmp(&b.pid),
                TopSort::Cpu => b.cpu_percent.total_cmp(&a.cpu_percent),
                TopSort::Memory => b.rss_kb.cmp(&a.rss_kb),
                TopSort::Command => a.command.cmp(&b.command),
            };
            o.then(a.pid.cmp(&b.pid))
        });
        if let Some(i) = pid.and_then(|pid| self.procs.iter().position(|p| p.pid == pid)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.procs.len().saturating_sub(1));
    }

    /// Starts watching `container` as a new generation; returns it.
    pub fn reset(&mut self, container: Option<String>) -> u64 {
        self.generation += 1;
        self.container = container;
        self.procs.clear();
        self.loaded = false;
        self.error = None;
        self.selected = 0;
        self.generation
    }
}
