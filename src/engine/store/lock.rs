//! Advisory file locks (flock) that serialise mutations between berth processes.

use super::error::{AtPath, StoreResult};
use nix::fcntl::{Flock, FlockArg};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// An exclusive lock held until dropped.
pub struct FileLock {
    _lock: Flock<File>,
}

impl FileLock {
    /// Blocks until the exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> StoreResult<FileLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .at_path(path)?;
        FileLock::take(file).at_path(path)
    }

    /// Blocks until the exclusive lock on the existing directory `dir` is held: a lock that
    /// costs no file of its own (each new file is an inode the filesystem must allocate).
    pub fn directory(dir: &Path) -> StoreResult<FileLock> {
        let file = File::open(dir).at_path(dir)?;
        FileLock::take(file).at_path(dir)
    }

    fn take(file: File) -> io::Result<FileLock> {
        let lock = Flock::lock(file, FlockArg::LockExclusive)
            .map_err(|(_, e)| io::Error::from_raw_os_error(e as i32))?;
        Ok(FileLock { _lock: lock })
    }
}
