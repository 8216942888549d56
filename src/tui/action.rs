//! Messages into the app (`Action`) and requests out of it (`Effect`).
//!
//! Everything that happens — a key, a container list, a log line, an engine call
//! finishing, a clock tick — reaches `App::update` as an `Action`. `update` answers with
//! `Effect`s that the runner performs; their results come back as `Action`s.

pub use super::op::{EngineOp, quote};

use super::images::ImageRow;
use super::keymap::UserAction;
use super::layertree::LayerTree;
use crate::engine::container::Container;
use crate::engine::observe::logs::LogLine;
use crate::engine::observe::stats::StatsSample;
use crate::engine::observe::top::ProcessInfo;
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
        image_id: String,
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
    /// A progress event of the running pull or push.
    TransferProgress(crate::engine::registry::Progress),
    /// The pull or push ended: the status line, or the error.
    TransferFinished {
        /// Pull or push.
        kind: super::transfer::TransferKind,
        /// What was asked for.
        reference: String,
        /// What the status bar says, or why it failed.
        result: Result<String, String>,
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
        image_id: String,
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
    /// Pull or push `reference` in the background, sending progress back.
    Transfer {
        /// Pull or push.
        kind: super::transfer::TransferKind,
        /// The reference.
        reference: String,
        /// Registry settings.
        registries: crate::engine::registry::RegistryOptions,
    },
}
