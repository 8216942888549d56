//! The runtime's errors: the failing call with the path, the destination in the container,
//! the user or the cgroup file it was about, so that a failed start says what to fix.

use super::seccomp::SeccompError;
use crate::engine::network::NetworkError;
use nix::errno::Errno;
use std::path::PathBuf;

/// Why setting up or supervising a container's process failed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// A system call on a path failed: `mount '/proc': EPERM: Operation not permitted`.
    #[error("{call} '{}': {source}", path.display())]
    Path {
        /// The call or step (`mount`, `create device`, `pivot_root`).
        call: &'static str,
        /// The path it was about.
        path: PathBuf,
        /// The errno.
        source: Errno,
    },
    /// A file operation on a path failed.
    #[error("{call} '{}': {source}", path.display())]
    File {
        /// The operation (`create`, `chdir`, `write`).
        call: &'static str,
        /// The path it was about.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// A system call about no path failed (`setsid`, `clone`, `grantpt`).
    #[error("{call}: {source}")]
    Call {
        /// The call or step.
        call: String,
        /// The errno.
        source: Errno,
    },
    /// An I/O operation about no path failed (`socketpair`, `receive the terminal`).
    #[error("{call}: {source}")]
    Io {
        /// The operation.
        call: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// A path inside the container's root could not be opened or made there.
    #[error("{call} '{path}' in '{}': {}", root.display(), in_root_reason(*source))]
    InRoot {
        /// `open`, `create`, `read link`.
        call: &'static str,
        /// The path as the container names it.
        path: String,
        /// The root on the host.
        root: PathBuf,
        /// The errno (`ELOOP`: too many symlinks, or a /proc magic link).
        source: Errno,
    },
    /// A mount the user asked for (`-v`, `--tmpfs`, `--device`) failed.
    #[error("{source} (for '{destination}')")]
    Destination {
        /// The destination in the container.
        destination: String,
        /// What failed.
        source: Box<RuntimeError>,
    },
    /// A capability set could not be changed.
    #[error("{call}: {source}")]
    Capabilities {
        /// `drop CAP_SYS_ADMIN`, `set effective`...
        call: String,
        /// The caps crate's error.
        source: caps::errors::CapsError,
    },
    /// `--user` names a user the container's /etc/passwd does not have.
    #[error("unable to find user {0}: no matching entries in passwd file")]
    NoSuchUser(String),
    /// `--user` resolves to an id Linux cannot take (above 2^31-1; 4294967295 is -1).
    #[error("user '{spec}' resolves to id {id}: uids and gids must be in range 0-{max}")]
    IdOutOfRange {
        /// The `--user` value.
        spec: String,
        /// The id it resolved to.
        id: u32,
        /// The largest id allowed.
        max: u64,
    },
    /// `--user` names a group the container's /etc/group does not have.
    #[error("unable to find group {0}: no matching entries in group file")]
    NoSuchGroup(String),
    /// The container's process sent no terminal over the console socket.
    #[error("the container sent no terminal")]
    NoTerminal,
    /// A limit was asked for but its cgroup controller is not mounted: the container is
    /// refused rather than run unconstrained.
    #[error(
        "cannot apply {flag}: the cgroup '{controller}' controller is not mounted under {root}"
    )]
    MissingController {
        /// The controller (`memory`, `pids`).
        controller: String,
        /// The flag that asked for it (`--memory`).
        flag: String,
        /// Where cgroups are mounted.
        root: &'static str,
    },
    /// `pause` asked the kernel to freeze the processes and they did not freeze in time
    /// (the freeze is undone).
    #[error("cannot pause: the processes in {} did not freeze within 5 seconds", .0.display())]
    FreezeTimeout(PathBuf),
    /// A cgroup file could not be written.
    #[error("cannot set {}={value}: {source}", path.display())]
    CgroupWrite {
        /// The cgroup file.
        path: PathBuf,
        /// The value written.
        value: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// The container's cgroup does not have what an operation needs.
    #[error("{0}")]
    Cgroup(&'static str),
    /// The container's `--log-opt` values are refused.
    #[error("{0}")]
    LogOptions(String),
    /// The shim ended before it said how the start went.
    #[error("the shim exited before the container started; see {}", .0.display())]
    ShimGone(PathBuf),
    /// The shim reported that the container could not start (its one-line reason, made in
    /// the shim's process).
    #[error("{0}")]
    StartFailed(String),
    /// The seccomp profile could not be read, compiled or installed.
    #[error(transparent)]
    Seccomp(#[from] SeccompError),
    /// The container's network could not be set up.
    #[error(transparent)]
    Network(#[from] NetworkError),
}

fn in_root_reason(e: Errno) -> String {
    if e == Errno::ELOOP {
        "too many symlinks, or a /proc magic link".to_string()
    } else {
        e.to_string()
    }
}

impl RuntimeError {
    /// A failed system call about `path`.
    pub fn path(call: &'static str, path: impl Into<PathBuf>, source: Errno) -> RuntimeError {
        RuntimeError::Path {
            call,
            path: path.into(),
            source,
        }
    }
    /// A failed file operation on `path`.
    pub fn file(
        call: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> RuntimeError {
        RuntimeError::File {
            call,
            path: path.into(),
            source,
        }
    }
    /// A failed system call about no path.
    pub fn call(call: impl Into<String>, source: Errno) -> RuntimeError {
        RuntimeError::Call {
            call: call.into(),
            source,
        }
    }
    /// A failed I/O operation about no path.
    pub fn io(call: impl Into<String>, source: std::io::Error) -> RuntimeError {
        RuntimeError::Io {
            call: call.into(),
            source,
        }
    }
    /// The same error, said to be about the user's destination `destination`.
    pub fn for_destination(self, destination: &str) -> RuntimeError {
        RuntimeError::Destination {
            destination: destination.to_string(),
            source: Box::new(self),
        }
    }
}

/// The runtime's result type.
pub type Result<T> = std::result::Result<T, RuntimeError>;
