//! The engine: the library both front ends call. It never prints and never reads the terminal.
//!
//! `Engine::open(root)` gives a handle on one state root. Operations are added to `Engine`
//! by the module of their noun (`image`, `container`, `volume`, ...), one file per verb where
//! the verb is large. Methods are synchronous: they do file and system-call work that finishes
//! in milliseconds, and long operations report progress through a callback. The dashboard runs
//! them on blocking tasks so rendering never waits on them.

pub mod build;
pub mod container;
pub mod disk_usage;
pub mod error;
pub mod events;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod ids;
pub mod image;
pub mod lifecycle;
pub mod network;
pub mod observe;
pub mod procfs;
pub mod registry;
pub mod runtime;
pub mod store;
pub mod volume;

pub use error::{EngineError, Result};

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
        paths.ensure().map_err(|e| EngineError::io(root, e))?;
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
    /// The layout of the state root.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }
    /// The options this engine was opened with.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }
}
