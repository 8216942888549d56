//! Errors of copying files into, out of or from a container that are not the user's
//! paths' fault (those are `EngineError::Invalid` with the path).

/// Why a `cp` or `export` failed on berth's side.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// Writing the tar stream (`export`, `cp ... -`) failed.
    #[error("write the archive: {0}")]
    Archive(#[source] std::io::Error),
    /// The pipe between the reading and the writing side of a copy could not be made.
    #[error("create a pipe: {0}")]
    Pipe(#[source] std::io::Error),
    /// A copy from the host asked without its source.
    #[error("copy source missing")]
    MissingSource,
}
