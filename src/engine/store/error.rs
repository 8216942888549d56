//! The store's errors: the file that could not be read, written, renamed or locked, or the
//! record in it that is not what berth wrote.

use std::io;
use std::path::{Path, PathBuf};

/// Why a state file could not be read, written or locked; each names its file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading, writing, renaming or locking the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file is not the JSON record berth wrote there.
    #[error("{}: {source}", path.display())]
    Corrupt {
        /// The record's file.
        path: PathBuf,
        /// What the parser found wrong.
        source: serde_json::Error,
    },
    /// The value could not be encoded as JSON.
    #[error("cannot encode the record '{}': {source}", path.display())]
    Encode {
        /// The file it was for.
        path: PathBuf,
        /// The encoder's error.
        source: serde_json::Error,
    },
}

/// The store's result type.
pub type StoreResult<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> StoreError {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
    /// Whether the file (or a directory on its way) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
    /// The I/O error's kind (`InvalidData` for a corrupt or unencodable record).
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            StoreError::Io { source, .. } => source.kind(),
            StoreError::Corrupt { .. } | StoreError::Encode { .. } => io::ErrorKind::InvalidData,
        }
    }
}

/// Adds the path to an I/O result inside the store.
pub(super) trait AtPath<T> {
    /// Attaches `path` to the error.
    fn at_path(self, path: &Path) -> StoreResult<T>;
}

impl<T> AtPath<T> for io::Result<T> {
    fn at_path(self, path: &Path) -> StoreResult<T> {
        self.map_err(|e| StoreError::io(path, e))
    }
}
