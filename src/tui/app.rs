//! The dashboard's state. It is owned by one task and changed only by `App::update`
//! (in `update.rs`); the panes draw it.

use super::action::EngineOp;
use super::keymap::Keymap;
use crate::engine::Container;
use crate::tui::panes::build::state::BuildState;
use crate::tui::panes::containers::state::ContainersState;
use crate::tui::panes::images::state::ImagesState;
use crate::tui::panes::logs::state::LogView;
use crate::tui::panes::networks::state::NetworksState;
use crate::tui::panes::shell::state::ShellView;
use crate::tui::panes::stats::state::{HISTORY, Metrics};
use crate::tui::panes::top::state::TopView;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use super::pane::Pane;

/// How the container list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerSort {
    /// Newest first (as `berth ps` lists them).
    Age,
    /// By name.
    Name,
    /// Most CPU first.
    Cpu,
    /// Most memory first.
    Memory,
}

impl ContainerSort {
    /// The next order (`cycle_sort`).
    pub fn next(self) -> ContainerSort {
        match self {
            ContainerSort::Age => ContainerSort::Cpu,
            ContainerSort::Cpu => ContainerSort::Memory,
            ContainerSort::Memory => ContainerSort::Name,
            ContainerSort::Name => ContainerSort::Age,
        }
    }

    /// Its name in the title.
    pub fn label(self) -> &'static str {
        match self {
            ContainerSort::Age => "age",
            ContainerSort::Name => "name",
            ContainerSort::Cpu => "cpu",
            ContainerSort::Memory => "memory",
        }
    }
}

/// What a text prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// A new reference for the image (`berth tag SOURCE TARGET`).
    Tag {
        /// The image tagged.
        source: String,
    },
    /// A name for a new container from the image (`berth run -d --name NAME IMAGE`).
    Run {
        /// The image run.
        image: String,
    },
    /// `NAME [SUBNET]` of a new network (`berth network create [--subnet S] NAME`).
    CreateNetwork,
    /// `IMAGE [NAME]` of a new container (`berth run -d [--name NAME] IMAGE`), the image
    /// pulled first when it is missing.
    RunByName,
    /// Text to search the log for.
    Search,
    /// A reference to pull (`berth pull REF`).
    Pull,
    /// The name of a new volume (`berth volume create NAME`).
    CreateVolume,
}

/// A one-line text prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// The text typed so far.
    pub input: String,
}

/// A popup over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key bindings.
    Help,
    /// "Remove container NAME?" waiting for yes or no.
    ConfirmRemove(String),
    /// "Remove image NAME?", with or without force.
    ConfirmRemoveImage {
        /// The reference or id.
        name: String,
        /// `rmi -f`.
        force: bool,
    },
    /// "Send SIGNAL to process PID?", with the signal chosen from [`SIGNALS`].
    ///
    /// [`SIGNALS`]: crate::tui::panes::top::state::SIGNALS
    ConfirmSignal {
        /// The container.
        container: String,
        /// Host pid.
        pid: i32,
        /// Its command line.
        command: String,
        /// Index into `SIGNALS`.
        choice: usize,
    },
    /// A text prompt.
    Prompt(Prompt),
    /// "Remove network NAME?" waiting for yes or no.
    ConfirmRemoveNetwork(String),
    /// Connect a container to (or disconnect it from) a network, the container chosen
    /// in the popup.
    NetworkConnect {
        /// The network.
        network: String,
        /// The containers to choose from, by name.
        containers: Vec<String>,
        /// Index into `containers`.
        choice: usize,
        /// `network connect` (true) or `network disconnect`.
        connect: bool,
    },
    /// The build form.
    Build(crate::tui::panes::build::state::BuildForm),
    /// The running (or last) build's steps.
    Building,
    /// "Remove volume NAME?" waiting for yes or no.
    ConfirmRemoveVolume(String),
    /// "Remove the N unused anonymous volumes?" (`volume prune`).
    ConfirmPruneVolumes(usize),
    /// What a command run from the palette printed (scrolled like the help).
    Output {
        /// The command line.
        title: String,
        /// Its output, standard output first.
        lines: Vec<String>,
        /// Whether it failed.
        failed: bool,
    },
}

impl Popup {
    /// Whether the movement keys scroll it (the help, a command's output).
    pub fn scrolls(&self) -> bool {
        matches!(self, Popup::Help | Popup::Output { .. })
    }
}

/// How a status-bar message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Progress and success.
    Info,
    /// Something failed.
    Error,
}

/// The status bar's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Info or error.
    pub level: Level,
    /// The text.
    pub text: String,
}

/// Dashboard settings the app needs (from `dashboard.*`).
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Past lines loaded when a log is opened.
    pub log_tail: usize,
    /// Lines kept in the log buffer.
    pub log_buffer: usize,
    /// Where `copy_command_log` saves the command log.
    pub command_log_file: PathBuf,
    /// The network of containers the dashboard runs and of build RUN steps
    /// (`network.default`).
    pub default_network: String,
    /// Registry settings for pulls and pushes (`registries:`).
    pub registries: crate::engine::RegistryOptions,
    /// What the palette's commands get before their own words (`--root R --config C`).
    pub cli_args: Vec<String>,
    /// Whether mouse events are acted on (`dashboard.mouse`).
    pub mouse: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            log_tail: 500,
            log_buffer: 5000,
            command_log_file: command_log_path(),
            default_network: crate::engine::DEFAULT_NETWORK.into(),
            registries: Default::default(),
            cli_args: Vec::new(),
            mouse: true,
        }
    }
}

/// `$XDG_STATE_HOME/berth/command-log.txt`, or `~/.local/state/berth/command-log.txt`.
pub fn command_log_path() -> PathBuf {
    let base = match std::env::var_os("XDG_STATE_HOME") {
        Some(x) if !x.is_empty() => PathBuf::from(x),
        _ => {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            PathBuf::from(home).join(".local").join("state")
        }
    };
    base.join("berth").join("command-log.txt")
}

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct App {
    /// Key bindings in effect.
    pub keymap: Keymap,
    /// Settings.
    pub settings: AppSettings,
    /// The Containers pane.
    pub containers: ContainersState,
    /// The focused pane.
    pub focus: Pane,
    /// The pane under the container list (Logs, Stats or Top).
    pub detail: Pane,
    /// The Images pane.
    pub images: ImagesState,
    /// CPU, memory and I/O histories.
    pub metrics: Metrics,
    /// The Top pane.
    pub top: TopView,
    /// The open popup.
    pub popup: Option<Popup>,
    /// The selected container's log.
    pub logs: LogView,
    /// Every action taken, as the equivalent `berth` command line.
    pub command_log: Vec<String>,
    /// Engine calls still running, by container name (a stop can take its whole grace
    /// period); their rows say so.
    pub pending: BTreeMap<String, EngineOp>,
    /// `quit` was pressed once while engine calls ran; the next `quit` leaves.
    pub quit_armed: bool,
    /// The status bar's message.
    pub status: Option<Message>,
    /// The time uptimes are measured against.
    pub now: DateTime<Utc>,
    /// Terminal rows (for page moves).
    pub height: u16,
    /// Lines of the help popup scrolled past (when it is taller than the screen).
    pub help_scroll: usize,
    /// The Networks pane.
    pub networks: NetworksState,
    /// The Shell pane's sessions.
    pub shell: ShellView,
    /// The build popups: the running or last build, the form's last values.
    pub build: BuildState,
    /// The running pull or push, with its per-layer progress.
    pub transfer: Option<crate::tui::panes::transfer::state::Transfer>,
    /// The Changes pane.
    pub changes: crate::tui::panes::changes::state::ChangesView,
    /// The Volumes pane.
    pub volumes: crate::tui::panes::volumes::state::VolumesState,
    /// The Inspect view, when open (over the panes, before any popup).
    pub inspect: Option<crate::tui::panes::inspect::state::InspectView>,
    /// The command palette.
    pub palette: crate::tui::panes::palette::state::PaletteState,
    /// Terminal columns (for mouse hits).
    pub width: u16,
    /// The Timeline pane.
    pub timeline: crate::tui::panes::timeline::state::TimelineView,
    /// The Topology pane.
    pub topology: crate::tui::panes::topology::state::TopologyState,
    /// The focused pane takes the whole screen but the status bar (`toggle_zoom`).
    pub zoomed: bool,
}

impl App {
    /// A fresh app with no containers listed yet.
    pub fn new(keymap: Keymap, settings: AppSettings, now: DateTime<Utc>) -> App {
        App {
            keymap,
            logs: LogView::new(settings.log_buffer),
            settings,
            containers: ContainersState::default(),
            focus: Pane::Containers,
            detail: Pane::Logs,
            images: ImagesState::default(),
            metrics: Metrics::new(HISTORY),
            top: TopView::default(),
            popup: None,
            command_log: Vec::new(),
            pending: BTreeMap::new(),
            quit_armed: false,
            status: None,
            now,
            height: 24,
            help_scroll: 0,
            networks: NetworksState::default(),
            shell: ShellView {
                width: 80,
                ..ShellView::default()
            },
            build: BuildState::default(),
            transfer: None,
            volumes: Default::default(),
            changes: Default::default(),
            inspect: None,
            palette: Default::default(),
            width: 80,
            timeline: Default::default(),
            topology: Default::default(),
            zoomed: false,
        }
    }

    /// The selected container, if any (none when the list filter hides it).
    pub fn selected_container(&self) -> Option<&Container> {
        self.containers
            .list
            .get(self.containers.selected)
            .filter(|c| self.containers.shows(c))
    }

    /// Sets an informational status message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Message {
            level: Level::Info,
            text: crate::engine::printable(&text.into()).into_owned(),
        });
    }

    /// Sets an error status message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Message {
            level: Level::Error,
            text: crate::engine::printable(&text.into()).into_owned(),
        });
    }
}
