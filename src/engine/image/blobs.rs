//! The content store: `blobs/sha256/<hex>`, addressed by the sha256 of the content.
//!
//! A blob is written to a temporary file under the store's `tmp/` while being hashed, then
//! renamed into place once its digest is known (and matches the expected one, if any), so a
//! blob file always holds exactly the bytes its name promises. Downloads that may be
//! interrupted and resumed write to `tmp/partial-<hex>` instead (`partial.rs`).

use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::Paths;
use nix::fcntl::Flock;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Names of interrupted downloads in `tmp/` (the scratch sweep leaves them alone).
pub const PARTIAL_PREFIX: &str = "partial-";

mod partial;
use partial::{WRITEBACK_STEP, start_writeback};

/// `sha256:<hex>` of `data`.
pub fn digest_of(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// The hex part of a `sha256:<hex>` digest, checked to be 64 lowercase hex digits.
pub fn hex_of(digest: &str) -> Result<&str> {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    if hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(hex)
    } else {
        Err(EngineError::Invalid(format!(
            "invalid digest '{digest}': expected sha256:<64 hex digits>"
        )))
    }
}

/// The blob store of one state root.
#[derive(Debug, Clone)]
pub struct Blobs {
    dir: PathBuf,
    tmp: PathBuf,
}

impl Blobs {
    /// The store under `paths`.
    pub fn new(paths: &Paths) -> Blobs {
        Blobs {
            dir: paths.blobs(),
            tmp: paths.tmp(),
        }
    }
    /// The file of a blob (which may not exist).
    pub fn path(&self, digest: &str) -> Result<PathBuf> {
        Ok(self.dir.join(hex_of(digest)?))
    }
    /// Whether the blob is present.
    pub fn has(&self, digest: &str) -> bool {
        self.path(digest).map(|p| p.exists()).unwrap_or(false)
    }
    /// Reads a whole blob (configs, manifests).
    pub fn read(&self, digest: &str) -> Result<Vec<u8>> {
        let p = self.path(digest)?;
        fs::read(&p).at(&p)
    }
    /// Opens a blob for streaming.
    pub fn open(&self, digest: &str) -> Result<File> {
        let p = self.path(digest)?;
        File::open(&p).at(&p)
    }
    /// Stores `data`, returning its digest. A blob already present is left as it is (its
    /// name is its digest, checked when it was written).
    pub fn put(&self, data: &[u8]) -> Result<String> {
        let digest = digest_of(data);
        if self.has(&digest) {
            return Ok(digest);
        }
        let mut w = self.writer()?;
        w.write_all(data).at(&w.path)?;
        let (digest, _) = w.commit(None)?;
        Ok(digest)
    }
    /// Starts writing a blob whose digest is learnt as it is written.
    pub fn writer(&self) -> Result<BlobWriter> {
        let path = self.tmp.join(format!(
            "blob-{}-{}",
            std::process::id(),
            &crate::engine::ids::random_id()[..16]
        ));
        let file = File::create(&path).at(&path)?;
        Ok(BlobWriter {
            file: Some(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            dir: self.dir.clone(),
            skip: 0,
            resumable: None,
            flushed: 0,
            synced: None,
            write_errno: None,
        })
    }
}

/// A blob being written: hashes what passes through; nothing is visible until `commit`.
/// Dropping it without committing deletes the temporary file, except a resumable one
/// that holds less than its full size (an interrupted download, kept for the next pull).
pub struct BlobWriter {
    file: Option<File>,
    path: PathBuf,
    hasher: Sha256,
    size: u64,
    dir: PathBuf,
    /// Leading bytes already in the file: hashed as they pass, not written again.
    skip: u64,
    /// For a resumable download: the full size, and the lock that keeps it ours.
    resumable: Option<(u64, Flock<File>)>,
    /// File offset up to which write-back to disk was started.
    flushed: u64,
    /// The size when the file was last synced to disk (by [`BlobWriter::sync`]).
    synced: Option<u64>,
    /// The errno of a failed write (the disk full while downloading).
    write_errno: Option<i32>,
}

impl BlobWriter {
    /// Syncs what was written to disk now, so that `commit` need not (layers downloaded in
    /// parallel sync in parallel, instead of one after the other when the image is stored).
    pub fn sync(&mut self) -> Result<()> {
        if let Some(f) = self.file.as_ref() {
            f.sync_all().at(&self.path)?;
            self.synced = Some(self.size);
        }
        Ok(())
    }
    /// The digest of what was written so far.
    pub fn digest(&self) -> String {
        format!("sha256:{}", hex::encode(self.hasher.clone().finalize()))
    }
    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }
    /// Syncs and renames the blob into the store. With `expected`, a different digest is an
    /// error and nothing is stored. Returns the digest and size.
    pub fn commit(mut self, expected: Option<&str>) -> Result<(String, u64)> {
        let digest = self.digest();
        if let Some(want) = expected
            && want != digest
        {
            return Err(EngineError::Invalid(format!(
                "digest mismatch: expected '{want}', content has '{digest}'"
            )));
        }
        if let Some(f) = self.file.take()
            && self.synced != Some(self.size)
        {
            f.sync_all().at(&self.path)?;
        }
        let dest = self.dir.join(hex_of(&digest)?);
        fs::rename(&self.path, &dest).at(&dest)?;
        Ok((digest, self.size))
    }
    /// Whether a write failed because the disk (or the quota) is full.
    pub fn disk_full(&self) -> bool {
        matches!(self.write_errno, Some(libc::ENOSPC) | Some(libc::EDQUOT))
    }
    /// Drops the blob and its file, even a resumable one: its content failed verification,
    /// so there is nothing to resume.
    pub fn discard(mut self) {
        self.resumable = None;
    }
    /// The temporary file (for error messages).
    pub fn tmp_path(&self) -> &Path {
        &self.path
    }
}

impl Write for BlobWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let f = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("blob already committed"))?;
        let already = self.skip.saturating_sub(self.size).min(buf.len() as u64) as usize;
        let n = if already > 0 {
            already
        } else {
            f.write(buf)
                .inspect_err(|e| self.write_errno = e.raw_os_error())?
        };
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        // (Bytes re-read from a partial download are below `flushed`.)
        if self.size.saturating_sub(self.flushed) >= WRITEBACK_STEP {
            start_writeback(f, self.flushed, self.size - self.flushed);
            self.flushed = self.size;
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        let interrupted = self
            .resumable
            .as_ref()
            .is_some_and(|(total, _)| self.size < *total && self.size.max(self.skip) > 0);
        if self.file.is_some() && !interrupted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A reader that hashes everything read through it (a layer's diff id while it is unpacked).
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }
    /// Reads to the end (tar padding after the last entry counts) and returns the digest
    /// and total size.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        io::copy(&mut self, &mut io::sink())?;
        Ok((
            format!("sha256:{}", hex::encode(self.hasher.finalize())),
            self.size,
        ))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// A reader that copies everything read through it into a writer (a blob being stored).
pub struct TeeReader<'a, R, W> {
    inner: R,
    out: &'a mut W,
}

impl<'a, R: Read, W: Write> TeeReader<'a, R, W> {
    /// Reads from `inner`, copying into `out`.
    pub fn new(inner: R, out: &'a mut W) -> Self {
        TeeReader { inner, out }
    }
}

impl<R: Read, W: Write> Read for TeeReader<'_, R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out.write_all(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_is_named_by_its_digest_and_mismatch_stores_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        paths.ensure().expect("ensure");
        let blobs = Blobs::new(&paths);
        let d = blobs.put(b"hello").expect("put");
        assert_eq!(d, digest_of(b"hello"));
        assert_eq!(blobs.read(&d).expect("read"), b"hello");
        let mut w = blobs.writer().expect("writer");
        w.write_all(b"other").expect("write");
        let wrong = digest_of(b"not other");
        assert!(w.commit(Some(&wrong)).is_err());
        assert_eq!(blobs.list().expect("list"), vec![d]);
        assert_eq!(fs::read_dir(paths.tmp()).expect("tmp").count(), 0);
    }
}
