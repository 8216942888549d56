//! Resumable blob downloads: `tmp/partial-<hex>` outlives a killed process, is locked while
//! a download uses it, and is hashed again (not trusted) when the next download resumes it;
//! and the early disk write-back of blobs being written.

use super::{BlobWriter, Blobs, PARTIAL_PREFIX, hex_of};
use crate::engine::error::{EngineError, IoContext, Result};
use nix::fcntl::{Flock, FlockArg};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom};
use std::path::PathBuf;

impl Blobs {
    /// Where an interrupted download of `digest` is kept (`tmp/partial-<hex>`).
    pub fn partial_path(&self, digest: &str) -> Result<PathBuf> {
        Ok(self
            .tmp
            .join(format!("{PARTIAL_PREFIX}{}", hex_of(digest)?)))
    }
    /// Starts or resumes the download of a `size`-byte blob in `tmp/partial-<hex>`, which
    /// outlives the process: a killed pull leaves it for the next one. The bytes already
    /// there are [`BlobWriter::resumed_at`]; the caller passes them through the writer again
    /// (they are hashed, not rewritten) before the rest. Returns `None` when another
    /// process holds the partial download (the caller then uses a plain [`Blobs::writer`]).
    ///
    /// Nothing is trusted: the whole blob is hashed and checked on commit like any other.
    pub fn resumable(&self, digest: &str, size: u64) -> Result<Option<BlobWriter>> {
        let path = self.partial_path(digest)?;
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .at(&path)?;
        let lock = match Flock::lock(file.try_clone().at(&path)?, FlockArg::LockExclusiveNonblock) {
            Ok(l) => l,
            Err((_, nix::errno::Errno::EWOULDBLOCK)) => return Ok(None),
            Err((_, e)) => return Err(EngineError::io(&path, io::Error::from(e))),
        };
        let mut have = file.metadata().at(&path)?.len();
        if have >= size {
            // Complete or longer: not a prefix worth trusting; start over.
            file.set_len(0).at(&path)?;
            have = 0;
        }
        file.seek(SeekFrom::Start(have)).at(&path)?;
        Ok(Some(BlobWriter {
            file: Some(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            dir: self.dir.clone(),
            skip: have,
            resumable: Some((size, lock)),
            flushed: have,
            synced: None,
            write_errno: None,
        }))
    }
    /// Deletes a blob (missing is fine).
    pub fn remove(&self, digest: &str) -> Result<()> {
        let p = self.path(digest)?;
        match fs::remove_file(&p) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(EngineError::io(p, e)),
            _ => Ok(()),
        }
    }
    /// Digests of every stored blob.
    pub fn list(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for e in fs::read_dir(&self.dir).at(&self.dir)? {
            let name = e.at(&self.dir)?.file_name().to_string_lossy().into_owned();
            if hex_of(&name).is_ok() {
                out.push(format!("sha256:{name}"));
            }
        }
        Ok(out)
    }
}

impl BlobWriter {
    /// Bytes of an earlier, interrupted download already in the file (0 for a fresh one).
    pub fn resumed_at(&self) -> u64 {
        self.skip
    }
    /// Forgets the bytes of the earlier download (the registry sent the whole blob).
    pub fn restart(&mut self) -> Result<()> {
        if let Some(f) = self.file.as_mut() {
            f.set_len(0).at(&self.path)?;
            f.seek(SeekFrom::Start(0)).at(&self.path)?;
        }
        self.skip = 0;
        self.flushed = 0;
        self.size = 0;
        self.hasher = Sha256::new();
        Ok(())
    }
}

/// Write-back of a blob being written is started every this many bytes, so the fsync of
/// `commit` finds little left to write (the disk works while the download goes on).
pub(super) const WRITEBACK_STEP: u64 = 8 * 1024 * 1024;

/// Asks the kernel to start writing `len` bytes at `offset` of `f` to disk, without waiting.
/// Only a hint: errors are ignored (the fsync of `commit` is what makes the blob durable).
pub(super) fn start_writeback(f: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // No crate wraps sync_file_range(2) (nix does not): the raw call, which only reads its
    // integer arguments.
    // SAFETY: a valid open fd and plain integers; the kernel touches no user memory.
    unsafe {
        libc::sync_file_range(
            f.as_raw_fd(),
            offset as libc::off64_t,
            len as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::store::Paths;
    use std::io::Write;

    #[test]
    fn a_short_partial_is_kept_resumed_and_hashed_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        paths.ensure().expect("ensure");
        let blobs = Blobs::new(&paths);
        let data = b"0123456789abcdef";
        let digest = crate::engine::image::blobs::digest_of(data);
        let mut w = blobs
            .resumable(&digest, 16)
            .expect("open")
            .expect("not locked");
        assert!(
            blobs.resumable(&digest, 16).expect("open again").is_none(),
            "a partial in use is locked"
        );
        w.write_all(&data[..6]).expect("write");
        drop(w);
        let partial = blobs.partial_path(&digest).expect("path");
        assert_eq!(fs::read(&partial).expect("kept"), &data[..6]);

        let mut w = blobs
            .resumable(&digest, 16)
            .expect("open")
            .expect("not locked");
        assert_eq!(w.resumed_at(), 6);
        // The kept bytes pass through again (hashed, not rewritten), then the rest.
        w.write_all(data).expect("write");
        assert_eq!(w.size(), 16);
        assert_eq!(w.digest(), digest);
        w.commit(Some(&digest)).expect("commit");
        assert!(!partial.exists());
        assert_eq!(blobs.read(&digest).expect("read"), data);
    }

    #[test]
    fn a_full_or_bad_partial_is_not_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        paths.ensure().expect("ensure");
        let blobs = Blobs::new(&paths);
        let digest = crate::engine::image::blobs::digest_of(b"abcd");
        let partial = blobs.partial_path(&digest).expect("path");
        // As long as the blob or longer: not a prefix, started over.
        fs::write(&partial, b"abcdef").expect("write");
        let mut w = blobs
            .resumable(&digest, 4)
            .expect("open")
            .expect("not locked");
        assert_eq!(w.resumed_at(), 0);
        // All bytes in but wrong: dropped, nothing kept.
        w.write_all(b"abce").expect("write");
        drop(w);
        assert!(!partial.exists());
        // Nothing written at all: nothing kept either.
        drop(blobs.resumable(&digest, 4).expect("open"));
        assert!(!partial.exists());
    }
}
