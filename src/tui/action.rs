//! Messages into the app (`Action`) and requests out of it (`Effect`).
//!
//! Everything that happens — a key, a container list, a log line, an engine call
//! finishing, a clock tick — reaches `App::update` as an `Action`. `update` answers with
//! `Effect`s that the runner performs; their results come back as `Action`s.

pub use super::op::{EngineOp, quote};

use super::keymap::UserAction;
use crate::engine::Container;
use crate::engine::LogLine;
use crate::engine::ProcessInfo;
use crate::engine::StatsSample;
use crate::engine::{ImageId, LayerTree};
use crate::tui::panes::images::state::ImageRow;
use crate::tui::panes::networks::state::NetworksSample;
use crate::tui::panes::shell::state::ShellKind;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::path::PathBuf;
use std::sync::Arc;

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key was pressed.
    Key(KeyEvent),
    /// A named action (from a key, or sent directly).
    User(UserAction),
    /// A fresh container list, or why listing failed.
    ContainersListed(Result<Vec<Container>, String>),
    /// Which networks each container is on (sent with every container list).
    NetworksOfContainers(crate::engine::Memberships),
    /// Lines from the log follower of `generation`.
    LogLines {
        /// Which follower sent them (stale ones are ignored).
        generation: u64,
        /// The lines, oldest first.
        lines: Vec<LogLine>,
    },
    /// The log follower of `generation` stopped.
    LogEnded {
        /// Which follower.
        generation: u64,
        /// Why, when it failed.
        error: Option<String>,
    },
    /// An engine call finished.
    OpFinished {
        /// What was asked.
        op: EngineOp,
        /// The outcome.
        result: Result<(), String>,
    },
    /// A fresh image list (one row per reference), or why listing failed.
    ImagesListed(Result<Vec<ImageRow>, String>),
    /// The layer tree of image `image_id` was computed.
    TreeComputed {
        /// The image.
        image_id: ImageId,
        /// The tree, or why it could not be read.
        result: Result<Arc<LayerTree>, String>,
    },
    /// A round of stats samples of the running containers.
    StatsSampled(Vec<StatsSample>),
    /// The processes of the container watched by the Top watcher of `generation`.
    TopListed {
        /// Which watcher sent them (stale ones are ignored).
        generation: u64,
        /// The processes, or why reading them failed.
        result: Result<Vec<ProcessInfo>, String>,
    },
    /// The command log was copied and saved (to this file), or saving failed.
    CommandLogSaved(Result<PathBuf, String>),
    /// The clock moved (uptimes are shown relative to it).
    Tick(DateTime<Utc>),
    /// The terminal changed size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// Leave now (Ctrl-C from a signal, SIGTERM).
    Quit,
    /// A sample of the networks, their counters and DNS logs, or why reading failed.
    NetworksSampled(Result<NetworksSample, String>),
    /// The screen of shell session `session` after new output or a resize.
    ShellScreen {
        /// Which session.
        session: u64,
        /// A copy of its terminal's screen.
        screen: Arc<vt100::Screen>,
    },
    /// Lines from source `source` (an index into the merged containers) of the merged
    /// log view of `generation`.
    MergedLogLines {
        /// Which merged view.
        generation: u64,
        /// Which of its containers.
        source: usize,
        /// The lines, oldest first.
        lines: Vec<LogLine>,
    },
    /// A log was saved: the file and how many lines, or why it failed.
    LogSaved(Result<(PathBuf, usize), String>),
    /// Shell session `session` ended (the process exited, or the connection failed).
    ShellEnded {
        /// Which session.
        session: u64,
        /// What happened (`exited with code 0`).
        why: String,
    },
    /// A progress report of the running build.
    BuildProgress(crate::engine::BuildEvent),
    /// The build ended: the image id, or why it failed.
    BuildFinished(Result<ImageId, String>),
    /// A run (`EngineOp::RunImage`) found its image missing: the dashboard pulls it, then
    /// runs again.
    RunNeedsPull(EngineOp),
    /// A progress event of the running pull or push.
    TransferProgress(crate::engine::Progress),
    /// A mouse press or wheel turn (motion and releases are dropped by the input task).
    Mouse(crossterm::event::MouseEvent),
    /// A command line run from the palette ended: what it printed, or why it could not run.
    CommandFinished {
        /// The command line (`berth rm -f x`).
        line: String,
        /// Its output and exit code.
        result: Result<crate::tui::panes::palette::state::CommandOutput, String>,
    },
    /// The pull or push ended: the status line, or the error.
    TransferFinished {
        /// Pull or push.
        kind: crate::tui::panes::transfer::state::TransferKind,
        /// What was asked for.
        reference: String,
        /// What the status bar says, or why it failed.
        result: Result<String, String>,
    },
    /// The changes of the container watched by the Changes watcher of `generation`.
    ChangesListed {
        /// Which watcher sent them (stale ones are ignored).
        generation: u64,
        /// The changes, or why reading them failed.
        result: Result<Vec<crate::engine::FileChange>, String>,
    },
    /// New events of the container watched by the Timeline watcher of `generation`.
    TimelineEvents {
        /// Which watcher sent them (stale ones are ignored).
        generation: u64,
        /// The events, or why reading them failed.
        result: Result<Vec<crate::engine::Event>, String>,
    },
    /// Log lines of the container watched by the Timeline watcher of `generation`.
    TimelineLines {
        /// Which watcher sent them.
        generation: u64,
        /// The lines, oldest first.
        lines: Vec<crate::engine::LogLine>,
    },
    /// A sample of the networks and counters for the Topology pane, or why reading failed.
    TopologySampled(Result<NetworksSample, String>),
    /// A fresh volume list with sizes and users, or why reading failed.
    VolumesListed(Result<Vec<crate::engine::VolumeOverview>, String>),
    /// The document of `name` for the Inspect view, or why it could not be read.
    Inspected {
        /// What kind of object it is.
        kind: crate::engine::ObjectKind,
        /// The name it was asked for.
        name: String,
        /// The document.
        result: Result<serde_json::Value, String>,
    },
}

/// Something the runner must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List the containers now (besides the periodic refresh).
    RefreshContainers,
    /// Stop the current log follower; start following `container` (if any) as `generation`.
    FollowLogs {
        /// Container name, or none to just stop.
        container: Option<String>,
        /// Tag for the lines it sends.
        generation: u64,
        /// How many past lines to load first.
        tail: usize,
    },
    /// Call the engine.
    Engine(EngineOp),
    /// List the images (one row per reference, with history).
    ListImages,
    /// Compute the layer tree of an image (chain ids bottom first).
    ComputeTree {
        /// The image id (the cache key).
        image_id: ImageId,
        /// Its layers' chain ids, bottom first.
        layers: Vec<String>,
    },
    /// Sample every running container's stats each second (true), or stop (false).
    WatchStats(bool),
    /// Stop the current Top watcher; list `container`'s processes each second (if any).
    WatchTop {
        /// Container name, or none to just stop.
        container: Option<String>,
        /// Tag for the lists it sends.
        generation: u64,
    },
    /// Copy `text` to the clipboard (OSC 52) and save it to `file`.
    CopyCommandLog {
        /// The command log, one command per line.
        text: String,
        /// Where to save it.
        file: PathBuf,
    },
    /// Leave the dashboard.
    Quit,
    /// Sample the networks each second (true), or stop (false).
    WatchNetworks(bool),
    /// Sample the networks now (after a network change).
    RefreshNetworks,
    /// Stop the log followers; follow every container of `containers` as `generation`,
    /// their lines merged by time.
    FollowMerged {
        /// Container names, in source order.
        containers: Vec<String>,
        /// Tag for the lines they send.
        generation: u64,
        /// How many past lines of each to load first.
        tail: usize,
    },
    /// Write the whole log of `containers` (merged by time when several) to `file`.
    SaveLog {
        /// Container names.
        containers: Vec<String>,
        /// Where.
        file: PathBuf,
        /// Each line with its time first.
        timestamps: bool,
        /// Only lines matching this search (smart case).
        filter: Option<String>,
    },
    /// Open shell session `session` on `container` with a pty of `size` (rows, columns).
    OpenShell {
        /// Its tag.
        session: u64,
        /// The container's name.
        container: String,
        /// Exec a shell, or attach.
        kind: ShellKind,
        /// Rows and columns.
        size: (u16, u16),
    },
    /// Send bytes (encoded keys) to session `session`'s process.
    ShellInput {
        /// Which session.
        session: u64,
        /// What a terminal would send.
        bytes: Vec<u8>,
    },
    /// Resize session `session`'s terminal.
    ShellResize {
        /// Which session.
        session: u64,
        /// Rows and columns.
        size: (u16, u16),
    },
    /// Close session `session`'s connection (the process goes on, as after a detach).
    CloseShell {
        /// Which session.
        session: u64,
    },
    /// Build an image.
    Build {
        /// What to build.
        request: crate::tui::panes::build::state::BuildRequest,
        /// The network of its RUN steps.
        network: String,
    },
    /// Run `berth ARGV` (a palette command) in the background, its output captured.
    RunCommand {
        /// The arguments after the program name (`--root R --config C rm -f x`).
        argv: Vec<String>,
        /// The command line as the command log shows it.
        line: String,
    },
    /// Save the palette's history to `file`.
    SaveHistory {
        /// One line per entry.
        text: String,
        /// Where.
        file: PathBuf,
    },
    /// Pull or push `reference` in the background, sending progress back.
    Transfer {
        /// Pull or push.
        kind: crate::tui::panes::transfer::state::TransferKind,
        /// The reference.
        reference: String,
        /// Registry settings.
        registries: crate::engine::RegistryOptions,
    },
    /// Read the document of `name` (of `kind`, or the first kind that has one) for the
    /// Inspect view.
    Inspect {
        /// Container, image, network or volume; any when none.
        kind: Option<crate::engine::ObjectKind>,
        /// The name or id.
        name: String,
    },
    /// Copy `text` to the clipboard (OSC 52).
    CopyText(String),
    /// Stop the current Changes watcher; read `container`'s changes each second (if any).
    WatchChanges {
        /// Container name, or none to just stop.
        container: Option<String>,
        /// Tag for the lists it sends.
        generation: u64,
    },
    /// List the volumes every two seconds (true), or stop (false).
    WatchVolumes(bool),
    /// Stop the current Timeline watcher; follow container `container`'s events and log
    /// (its last `tail` lines first), if any.
    WatchTimeline {
        /// Container id, or none to just stop.
        container: Option<String>,
        /// Tag for what it sends.
        generation: u64,
        /// Past log lines read first.
        tail: usize,
    },
    /// List the volumes now (after a change).
    RefreshVolumes,
    /// Sample the networks for the Topology pane each second (true), or stop (false).
    WatchTopology(bool),
}
