//! The volume module's errors: a `-v`/`--tmpfs` value that cannot be used, named with the
//! whole value and the part that is wrong; a volume that cannot be made or removed.

use std::path::PathBuf;

/// Why a volume flag or operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    /// A `-v` value with a shape berth does not know.
    #[error(
        "invalid volume specification '{0}': use HOST-DIR:CONTAINER-DIR[:ro], NAME:CONTAINER-DIR[:ro] or CONTAINER-DIR"
    )]
    Specification(String),
    /// The source of a `-v` value is neither a path nor a valid volume name.
    #[error(
        "invalid volume name '{name}' in '{spec}': use 2 or more of [a-zA-Z0-9_.-] starting with a letter or digit, or an absolute path for a host directory"
    )]
    NameInFlag {
        /// The source as given.
        name: String,
        /// The whole `-v` value.
        spec: String,
    },
    /// `volume create` with an invalid name.
    #[error(
        "invalid volume name '{0}': use 2 or more of [a-zA-Z0-9_.-] starting with a letter or digit (for a host directory, give an absolute path)"
    )]
    InvalidName(String),
    /// A mount destination that is not absolute, or is `/`.
    #[error("invalid mount destination '{destination}' in '{spec}': {why}")]
    Destination {
        /// The destination as given.
        destination: String,
        /// The whole flag value.
        spec: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A `-v` mode other than `ro`, `rw`, `z`, `Z`, `nocopy`.
    #[error("invalid mode '{mode}' in volume specification '{spec}': use ro or rw")]
    Mode {
        /// The mode as given.
        mode: String,
        /// The whole `-v` value.
        spec: String,
    },
    /// A `--tmpfs` option berth does not pass on.
    #[error(
        "invalid tmpfs option '{option}' in '{spec}': use ro, rw, exec, noexec, suid, nosuid, dev, nodev, size=N[kmg], mode=OCTAL, uid=N, gid=N"
    )]
    TmpfsOption {
        /// The option as given.
        option: String,
        /// The whole `--tmpfs` value.
        spec: String,
    },
    /// A relative bind source with no current directory to resolve it against.
    #[error("cannot resolve '{source_path}': {source}")]
    Resolve {
        /// The source as given.
        source_path: String,
        /// Why the current directory is unknown.
        source: std::io::Error,
    },
    /// A bind source that does not exist.
    #[error(
        "bind source path does not exist: '{}': create it first or check the spelling",
        .0.display()
    )]
    NoBindSource(PathBuf),
    /// A volume a container still uses.
    #[error("volume '{name}' is in use by container '{container}': remove the container first")]
    InUse {
        /// The volume.
        name: String,
        /// The short id of a container using it.
        container: String,
    },
    /// A file to write into a volume whose path would leave it.
    #[error(
        "invalid file path '{path}' for volume '{volume}': use a relative path without '..' components"
    )]
    FilePath {
        /// The volume.
        volume: String,
        /// The path as given.
        path: String,
    },
}
