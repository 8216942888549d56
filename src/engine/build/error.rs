//! Errors of the build: the parser's (the file, the line and what was expected) and the
//! module's own (`BuildError`), which callers place at a Dockerfile line.

use crate::engine::error::EngineError;

/// A malformed Dockerfile: shown as `Dockerfile:7: unknown instruction 'FORM'`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    /// The file name as the user gave it.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ParseError {
    /// A new error at `file:line`.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl From<ParseError> for EngineError {
    fn from(e: ParseError) -> EngineError {
        EngineError::Invalid(e.to_string())
    }
}

/// What went wrong in a word, a source path or an owner of the build; the executor
/// adds the Dockerfile line (`ParseError`) before the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A quote, `${...}` or escape that does not parse, or a `${VAR:?message}`.
    #[error("{0}")]
    Syntax(String),
    /// An expanded word longer than the limit.
    #[error(
        "a variable expansion is longer than {limit} bytes: expected shorter values (each expanded word is limited, as the kernel limits one argument)"
    )]
    ExpansionTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The variables of a stage (ARG and ENV values) together exceed the limit.
    #[error(
        "the stage's ARG and ENV values total more than {limit} bytes: expected less (a RUN could not pass them to its process)"
    )]
    VariablesTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A COPY/ADD source that is missing, excluded or outside the tree.
    #[error("{0}")]
    Source(String),
    /// A chain of symlinks longer than the kernel follows (ELOOP).
    #[error(
        "{what} source '{pattern}': too many levels of symbolic links (ELOOP) at '{path}': expected a symlink that ends at a file"
    )]
    SymlinkLoop {
        /// The instruction.
        what: String,
        /// The source as written.
        pattern: String,
        /// The path (relative to the context or stage) where the chain stopped.
        path: String,
    },
    /// The build context or Dockerfile cannot be used.
    #[error("{0}")]
    Context(String),
    /// A `--chown` that names no user or group, or an id out of range.
    #[error("invalid --chown: {0}")]
    Owner(String),
}

impl From<BuildError> for EngineError {
    fn from(e: BuildError) -> EngineError {
        EngineError::Invalid(e.to_string())
    }
}

/// What failed while a build wrote its result: not the Dockerfile's fault, so not a
/// `BuildError` (which the user fixes in the Dockerfile).
#[derive(Debug, thiserror::Error)]
pub enum BuildFault {
    /// Writing a layer's tar into the content store failed.
    #[error("write the layer: {0}")]
    LayerWrite(#[source] std::io::Error),
    /// Writing one entry of a layer failed.
    #[error("write the layer at '{at}': {source}")]
    LayerEntry {
        /// The entry's path in the image.
        at: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The runtime pulling a missing base image could not start.
    #[error("start the pull: {0}")]
    PullRuntime(#[source] std::io::Error),
    /// The thread pulling a missing base image panicked.
    #[error("the pull thread panicked")]
    PullPanicked,
    /// The Dockerfile built no stage to store.
    #[error("no stage was built")]
    NoStage,
}
