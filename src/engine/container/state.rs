//! What a container is doing now: `state.json`, rewritten atomically under the container lock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A container's lifecycle status, as Docker names them.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Created, never started (or its start failed).
    #[default]
    Created,
    /// Its process runs.
    Running,
    /// Frozen by `pause`.
    Paused,
    /// Exited and waiting for the restart policy's delay.
    Restarting,
    /// Its process ended.
    Exited,
    /// Being removed.
    Removing,
    /// Beyond repair; can only be removed.
    Dead,
}

impl Status {
    /// Docker's lowercase name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Exited => "exited",
            Status::Removing => "removing",
            Status::Dead => "dead",
        }
    }
    /// Whether a shim is supposed to be alive for this status.
    pub fn has_shim(&self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }
    /// `start` is allowed.
    pub fn can_start(&self) -> bool {
        matches!(self, Status::Created | Status::Exited)
    }
    /// `kill`/`stop` have something to signal.
    pub fn can_kill(&self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }
}

/// The current state of a container.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContainerState {
    /// Lifecycle status.
    pub status: Status,
    /// Host pid of the container's first process (0 when not running).
    pub pid: i32,
    /// Start time of `pid` in clock ticks since boot (guards against pid reuse).
    pub pid_start: u64,
    /// Host pid of the shim (0 when none).
    pub shim_pid: i32,
    /// Start time of the shim in clock ticks since boot.
    pub shim_start: u64,
    /// The kernel boot the shim ran in (see `procfs::boot_id`): a container recorded
    /// running under another boot died in a reboot.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub boot_id: String,
    /// Exit code of the last run.
    pub exit_code: i32,
    /// When the last run started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the last run ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// The kernel's OOM killer ended the last run.
    pub oom_killed: bool,
    /// Why the last start or run failed, if it did.
    pub error: String,
    /// How many times the restart policy restarted it.
    pub restart_count: u32,
    /// What its healthcheck found (Docker's `State.Health`): read from the shim's
    /// `health.json`, never written with the state; `None` without a healthcheck.
    #[serde(skip)]
    pub health: Option<super::Health>,
}
