//! The engine: the library both front ends call. It never prints and never reads the terminal.
//!
//! `Engine::open(root)` gives a handle on one state root. Operations are added to `Engine`
//! by the module of their noun (`image`, `container`, `volume`, ...), one file per verb where
//! the verb is large. Methods are synchronous: they do file and system-call work that finishes
//! in milliseconds, and long operations report progress through a callback. The dashboard runs
//! them on blocking tasks so rendering never waits on them.
//!
//! This file is the facade: every module is private, and what front ends may name is
//! re-exported here: `Engine`, `EngineOptions`, the error types and the owned values the
//! methods take and give. Front ends never see the state root's files or the shim's wire
//! protocol: attach and exec are [`Session`]s of typed [`Frame`]s, the event journal is an
//! [`EventStream`], and the rest are snapshots ([`SystemInfo`], [`LayerTree`],
//! [`NetworksSnapshot`], ...).

mod build;
mod changes;
mod container;
mod container_events;
mod disk_usage;
mod engine_event;
mod error;
mod event_stream;
mod events;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod ids;
mod image;
mod info;
mod inspect_object;
mod layer_tree;
mod lifecycle;
mod network;
mod network_snapshot;
mod observe;
mod procfs;
mod registry;
mod runtime;
mod session;
mod store;
mod text;
mod volume;

// The facade's surface: `Engine`, its options and errors, and the owned values its
// methods take and give. Nothing else of the engine is reachable from outside.
pub use build::{BuildEvent, BuildOptions, BuildOutcome, ParseError};
pub use changes::{ChangeWatch, WatchError};
pub use container::files::diff::{Change as FileChange, ChangeKind as FileChangeKind};
pub use container::files::{CopyIn, CopyOptions, CopyOut, PathStat};
pub use container::security::SecurityConfig;
pub use container::{
    Container, ContainerConfig, ContainerState, Health, HealthConfig, HealthResult, HealthStatus,
    Link, LogConfig, MountKind, MountSpec, NetConfig, PortBinding, Resources, RestartPolicy,
    Rotation, Status,
};
pub use container_events::JournalCursor;
pub use disk_usage::{ContainerUsage, DiskUsage, ImageUsage, VolumeUsage};
pub use error::{EngineError, Result};
pub use event_stream::{EventFilter, EventStream};
pub use events::{Event, EventAction, EventType};
pub use ids::{ContainerId, IdError, ImageId, NetworkId};
pub use image::Image;
pub use image::history::HistoryRow;
pub use image::import::ImportOptions;
pub use image::reference::{Reference, RemoteReference};
pub use image::remove::Removed;
pub use info::{HostInfo, SystemInfo};
pub use inspect_object::ObjectKind;
pub use layer_tree::{LayerChange, LayerChangeKind, LayerTree, LayerTreeError, PathVersion};
pub use lifecycle::CreateOptions;
pub use network::counters::IfBytes;
pub use network::dnslog::{DnsLogEntry, Outcome};
pub use network::membership::Memberships;
/// The driver option that sets a bridge network's MTU (`com.docker.network.driver.mtu`).
pub use network::mtu::OPTION as NETWORK_MTU_OPTION;
pub use network::ops::NetworkCreateOptions;
pub use network::{Endpoint, Network};
pub use network_snapshot::NetworksSnapshot;
pub use observe::logs::{LogLine, LogOptions, Stream};
pub use observe::stats::StatsSample;
pub use observe::stats_probe::StatsProbe;
pub use observe::top::ProcessInfo;
pub use registry::pull::PullStatus;
pub use registry::{
    Credentials, Platform, Progress, PullOptions, PullPolicy, PullResult, PushOptions, PushResult,
    RegistryError, RegistryOptions,
};
pub use runtime::exec::ExecRequest;
pub use session::{Frame, Session, SessionInput};
pub use volume::overview::VolumeOverview;
pub use volume::{PruneReport, Volume};

// Free functions, not `Engine` methods: each is a pure function of its arguments (a flag's
// value, a binding, bytes, text, records already read) and reads no state root, so a front
// end checks a flag or formats a value before, or without, opening an engine. What reads or
// changes the state root, the host or a registry is an `Engine` method.
pub use build::remote_context::RemoteContext;
pub use build::tar_context::looks_like_tar;
pub use container::devices::parse as parse_device;
pub use container::health::parse_duration as parse_go_duration;
pub use container::human;
pub use container::security::{apply_security_opt, normalize_capability};
pub use ids::short_id;
/// The history rows of an image, newest first (from the `Image` already read).
pub use image::history::rows as history_rows;
/// Go's name for this machine's architecture, as image configs spell it.
pub use image::import::go_arch;
pub use network::attachments;
pub use network::ports::{describe as describe_port_binding, parse as parse_port_binding};
/// A registry's host as credentials are keyed (`docker.io` for Docker Hub).
pub use registry::credentials::normalize as normalize_registry;
/// Checks credentials against a registry (a `docker login` through the API), storing nothing.
pub use registry::login::verify as registry_verify;
/// Writes a file atomically (a temporary sibling, fsync, rename): for a front end saving a
/// file of the user's, never half-written (any path; not the state root's files).
pub use store::atomic::write_atomic;
/// A file a front end writes in a stream and publishes whole on `commit()` (removed when
/// dropped without one), and the error naming the file that could not be written.
pub use store::{AtomicFile, StoreError};
pub use text::printable;
pub use volume::{parse_tmpfs_flag, parse_volume_flag};

/// The network containers join when none is named (Docker's `bridge`).
pub const DEFAULT_NETWORK: &str = lifecycle::create::DEFAULT_NETWORK;
/// The `PATH=...` entry a container gets when its image sets no PATH (Docker's).
pub const DEFAULT_PATH_ENV: &str = lifecycle::create::DEFAULT_PATH;
/// The state root when none is configured.
pub const DEFAULT_ROOT: &str = store::paths::DEFAULT_ROOT;
/// The MTU of bridge networks made without one.
pub const DEFAULT_MTU: u32 = network::mtu::DEFAULT;
/// The MTUs a bridge network accepts.
pub const VALID_MTU: std::ops::RangeInclusive<u32> = network::mtu::VALID;
/// The first argument that makes the berth binary a container's shim.
pub const SHIM_ARG: &str = runtime::SHIM_ARG;

/// Runs the berth binary as a container's shim (argv after [`SHIM_ARG`]); its exit code.
pub fn shim_main(args: &[String]) -> i32 {
    runtime::shim::main(args)
}
pub use lifecycle::BootReport;

use std::path::Path;
use store::Paths;

/// The engine's settings, given as values by whoever opens it (berth reads them from the
/// configuration file).
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Rotate a container's log when it reaches this many bytes (`logs.max_size`); `None`:
    /// never, every line is kept (Docker's default). A container's `--log-opt` wins.
    pub log_max_size: Option<u64>,
    /// Keep this many log files per container, the live one included (`logs.max_files`).
    pub log_max_files: u32,
    /// Gzip rotated log files (`logs.compress`).
    pub log_compress: bool,
    /// The MTU of bridge networks made without an MTU option (`network.mtu`).
    pub network_mtu: u32,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            log_max_size: None,
            log_max_files: 1,
            log_compress: false,
            network_mtu: network::mtu::DEFAULT,
        }
    }
}

/// A handle on one state root.
#[derive(Debug, Clone)]
pub struct Engine {
    paths: Paths,
    options: EngineOptions,
}

impl Engine {
    /// Opens (creating if needed) the state root at `root`.
    pub fn open(root: &Path, options: EngineOptions) -> Result<Engine> {
        let paths = Paths::new(root);
        paths.ensure()?;
        store::sweep::stale_scratch(&paths.tmp());
        Ok(Engine { paths, options })
    }
    /// Opens the state root at `root` that the caller knows to exist, without the
    /// housekeeping of [`Engine::open`]: for a shim, whose spawner opened it just before.
    pub fn open_existing(root: &Path, options: EngineOptions) -> Engine {
        Engine {
            paths: Paths::new(root),
            options,
        }
    }
    /// Docker's `inspect` document of container `c`.
    pub fn inspect_document(&self, c: &Container) -> serde_json::Value {
        container::inspect::inspect_document(c, &self.paths)
    }
    /// The layout of the state root.
    pub(crate) fn paths(&self) -> &Paths {
        &self.paths
    }
    /// The options this engine was opened with.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }
}
