//! A file written in a stream and published whole: the bytes go to a temporary sibling,
//! `commit` flushes, fsyncs and renames it over the target; dropped without a commit (an
//! error, a panic, an early return), the temporary file is removed and the target is left
//! as it was. Every atomic write of berth goes through it, the store's records as well as
//! the files a front end saves for the user (`save -o`, `export -o`, the dashboard's logs).

use super::error::{AtPath, StoreResult};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Tells apart the temporary files of two writers of one target in one process.
static SERIAL: AtomicU64 = AtomicU64::new(0);

/// A file being written; nothing shows at its path until [`AtomicFile::commit`].
pub struct AtomicFile {
    out: Option<BufWriter<File>>,
    tmp: PathBuf,
    target: PathBuf,
    durable: bool,
}

impl AtomicFile {
    /// Starts writing `path` (mode 0644, fsync'd on commit).
    pub fn create(path: &Path) -> StoreResult<AtomicFile> {
        AtomicFile::with_mode(path, 0o644)
    }

    /// Starts writing `path` with the file mode `mode` (fsync'd on commit).
    pub fn with_mode(path: &Path, mode: u32) -> StoreResult<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp.{}.{serial}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)
            .at_path(path)?;
        Ok(AtomicFile {
            out: Some(BufWriter::new(file)),
            tmp,
            target: path.to_path_buf(),
            durable: true,
        })
    }

    /// Skips the fsyncs on commit: readers still see a whole old or a whole new file, only
    /// a power cut may lose the latest version (for files that are made again or repaired).
    pub fn volatile(mut self) -> AtomicFile {
        self.durable = false;
        self
    }

    /// Publishes the file: flushes it, fsyncs it (unless volatile), renames it over the
    /// target and makes the rename durable.
    pub fn commit(mut self) -> StoreResult<()> {
        let Some(out) = self.out.take() else {
            return Ok(());
        };
        let published = (|| {
            let file = out.into_inner().map_err(|e| e.into_error())?;
            if self.durable {
                file.sync_all()?;
            }
            drop(file);
            fs::rename(&self.tmp, &self.target)
        })();
        if let Err(e) = published {
            let _ = fs::remove_file(&self.tmp);
            return Err(e).at_path(&self.target);
        }
        if self.durable
            && let Some(dir) = self.target.parent()
            && let Ok(d) = File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
        {
            let _ = d.sync_all();
        }
        Ok(())
    }

    fn out(&mut self) -> &mut BufWriter<File> {
        self.out
            .as_mut()
            .expect("an AtomicFile is written only before commit")
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out().write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out().write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn nothing_shows_until_commit_and_then_the_whole_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("out.tar");
        fs::write(&p, b"old").expect("old");
        let mut f = AtomicFile::create(&p).expect("create");
        f.write_all(b"new ").expect("write");
        f.write_all(b"content").expect("write");
        assert_eq!(fs::read(&p).expect("read"), b"old");
        f.commit().expect("commit");
        assert_eq!(fs::read(&p).expect("read"), b"new content");
        assert_eq!(names(dir.path()), ["out.tar"]);
    }

    #[test]
    fn dropped_without_commit_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("out.tar");
        fs::write(&p, b"old").expect("old");
        let mut f = AtomicFile::create(&p).expect("create");
        f.write_all(b"half").expect("write");
        drop(f);
        assert_eq!(fs::read(&p).expect("read"), b"old");
        assert_eq!(names(dir.path()), ["out.tar"]);
        let fresh = dir.path().join("never.tar");
        drop(AtomicFile::create(&fresh).expect("create"));
        assert_eq!(names(dir.path()), ["out.tar"]);
    }

    #[test]
    fn a_missing_directory_names_the_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("no/such/out.tar");
        let e = AtomicFile::create(&p).err().expect("must fail");
        assert!(e.is_not_found(), "{e}");
        assert!(e.to_string().contains("no/such/out.tar:"), "{e}");
    }
}
