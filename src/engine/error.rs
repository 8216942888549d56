//! The engine's error type: what went wrong, with the values a user needs to fix it.

use std::path::PathBuf;

/// Errors from the engine. Messages are lowercase, one line, values in single quotes.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No container matches the name or id.
    #[error("no such container: '{0}'")]
    NoSuchContainer(String),
    /// No image matches the reference or id.
    #[error("no such image: '{0}'")]
    NoSuchImage(String),
    /// No volume has this name.
    #[error("no such volume: '{0}'")]
    NoSuchVolume(String),
    /// No container, image, network or volume matches (`inspect` of any kind).
    #[error("no such object: '{0}'")]
    NoSuchObject(String),
    /// No network matches the name or id.
    #[error("network '{0}' not found: see 'berth network ls'")]
    NoSuchNetwork(String),
    /// A path does not exist in a container (Docker's words).
    #[error("Could not find the file {path} in container {container}")]
    NoSuchPath {
        /// The path asked for.
        path: String,
        /// The container's name.
        container: String,
    },
    /// A prefix matches more than one object.
    #[error("multiple objects match '{0}': use more characters of the id")]
    Ambiguous(String),
    /// The name is taken by another container.
    #[error(
        "the container name '{name}' is already in use by container '{id}': remove or rename that container first"
    )]
    NameInUse {
        /// The requested name.
        name: String,
        /// The short id of the container holding it.
        id: String,
    },
    /// The request is invalid (bad flag value, bad reference...).
    #[error("{0}")]
    Invalid(String),
    /// The object is in a state that does not allow the operation.
    #[error("{0}")]
    Conflict(String),
    /// The command to run could not be started.
    #[error("{message}")]
    Exec {
        /// What failed.
        message: String,
        /// Docker's exit code: 126 not executable, 127 not found; a failing build RUN's own.
        code: i32,
    },
    /// An I/O error on a path.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A system call failed.
    #[error("{what}: {source}")]
    Sys {
        /// What was being done.
        what: String,
        /// The errno.
        source: nix::Error,
    },
    /// A network operation failed (bad `-p`/`--subnet` values, netlink, nftables).
    #[error(transparent)]
    Network(#[from] crate::engine::network::NetworkError),
    /// A volume flag or operation was refused.
    #[error(transparent)]
    Volume(#[from] crate::engine::volume::VolumeError),
    /// Watching or signalling a container's processes failed.
    #[error(transparent)]
    Observe(#[from] crate::engine::observe::ObserveError),
    /// The runtime failed (mounts, cgroups, capabilities, seccomp, the shim).
    #[error(transparent)]
    Runtime(#[from] crate::engine::runtime::RuntimeError),
    /// An image could not be read, unpacked, imported or saved.
    #[error(transparent)]
    Image(#[from] crate::engine::image::ImageError),
    /// A registry refused or failed a pull, push or login.
    #[error(transparent)]
    Registry(#[from] crate::engine::registry::RegistryError),
    /// A build failed while writing its result (not the Dockerfile's fault).
    #[error(transparent)]
    Build(#[from] crate::engine::build::BuildFault),
    /// A container's process or shim did not do what was asked.
    #[error(transparent)]
    Lifecycle(#[from] crate::engine::lifecycle::LifecycleError),
    /// Copying files into, out of or from a container failed.
    #[error(transparent)]
    Files(#[from] crate::engine::container::files::FilesError),
    /// A state file could not be read, written or locked.
    #[error(transparent)]
    Store(#[from] crate::engine::store::StoreError),
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, EngineError>;

impl EngineError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> EngineError {
        EngineError::Io {
            path: path.into(),
            source,
        }
    }
    /// Wraps a failed system call.
    pub fn sys(what: impl Into<String>, source: nix::Error) -> EngineError {
        EngineError::Sys {
            what: what.into(),
            source,
        }
    }
    /// The exit code Docker would give for this error (125 unless the command itself failed).
    pub fn exit_code(&self) -> i32 {
        match self {
            EngineError::Exec { code, .. } => *code,
            _ => 125,
        }
    }
}

/// Adds a path to I/O results: `fs::read(&p).at(&p)?`.
pub trait IoContext<T> {
    /// Attaches `path` to the error.
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|e| EngineError::io(path, e))
    }
}
