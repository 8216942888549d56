//! The errors of loading a compose project: each names the file, and where it can the line
//! and the key (`services.web.ports[0]`), so the user can go straight to the mistake.

use std::path::PathBuf;

/// What went wrong reading, interpolating or checking compose files.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// No file given and none of the default names in the directory.
    #[error(
        "no configuration file provided: not found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml in {0})"
    )]
    NoFile(PathBuf),
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not YAML.
    #[error("{file}: line {line}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The line (1-based; 0 when unknown).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A key holds a value of the wrong shape or an invalid value.
    #[error("{file}: line {line}: {key}: {message}")]
    Value {
        /// The file.
        file: String,
        /// The line (1-based; 0 when unknown).
        line: usize,
        /// The key's path (`services.web.ports[0]`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// `${VAR:?message}` with VAR unset, or a malformed `${...}`.
    #[error("{file}: line {line}: {key}: error while interpolating: {message}")]
    Interpolation {
        /// The file.
        file: String,
        /// The line (1-based; 0 when unknown).
        line: usize,
        /// The key's path.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The project as a whole does not hold together (a service naming an undefined
    /// volume, a dependency cycle, ...).
    #[error("{0}")]
    Project(String),
}

/// The result of compose model functions.
pub type Result<T> = std::result::Result<T, ComposeError>;
