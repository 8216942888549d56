//! Atomic file writes: write a temporary sibling, fsync it, rename it over the target.
//! A reader sees either the old file or the new one, never half of either.

use super::atomic_file::AtomicFile;
use super::error::{AtPath, StoreError, StoreResult};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Writes `data` to `path` atomically with the given file mode, durably (fsync of the file
/// and of its directory).
pub fn write_atomic_mode(path: &Path, data: &[u8], mode: u32) -> StoreResult<()> {
    write_with(path, data, mode, true)
}

/// Serialises `value` as JSON and writes it atomically but without fsync: readers and
/// concurrent writers still see a whole old or a whole new file, only a power cut may lose
/// the latest version. For container records, which change on every start and stop (an
/// fsync costs about 10 ms here, more than the rest of a container start) and which
/// reconcile repairs; images, volumes and credentials keep durable writes.
pub fn write_record<T: serde::Serialize>(path: &Path, value: &T) -> StoreResult<()> {
    write_with(path, &encode(path, value)?, 0o644, false)
}

/// Writes `data` to `path` atomically without fsync: for files that can be made again
/// (caches under the runtime directory).
pub fn write_atomic_volatile(path: &Path, data: &[u8], mode: u32) -> StoreResult<()> {
    write_with(path, data, mode, false)
}

fn write_with(path: &Path, data: &[u8], mode: u32, durable: bool) -> StoreResult<()> {
    let mut f = AtomicFile::with_mode(path, mode)?;
    if !durable {
        f = f.volatile();
    }
    f.write_all(data).at_path(path)?;
    f.commit()
}

/// `value` as pretty JSON, or the encoder's error naming the file it was for.
pub fn encode<T: serde::Serialize>(path: &Path, value: &T) -> StoreResult<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|source| StoreError::Encode {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a JSON record that changes often (a container's state) atomically, without
/// making a file: the new version goes into the sibling `.NAME.next`, kept from the last
/// write, and the two names are then exchanged (`renameat2(RENAME_EXCHANGE)`), so a reader
/// sees the whole old or the whole new record. `write_record`'s temporary file costs an
/// inode to allocate and one to free per write, and on this kind of disk (ext4 without a
/// journal, which passes over recently freed inodes) each allocation gets slower the more
/// files were deleted in the last minute. Writers must hold the record's lock: the sibling
/// is shared by all of them. No fsync, as with `write_record`.
pub fn write_record_exchanged<T: serde::Serialize>(path: &Path, value: &T) -> StoreResult<()> {
    use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
    let data = encode(path, value)?;
    let next = exchange_sibling(path);
    overwrite(&next, &data)?;
    match renameat2(
        AT_FDCWD,
        &next,
        AT_FDCWD,
        path,
        RenameFlags::RENAME_EXCHANGE,
    ) {
        Ok(()) => Ok(()),
        // The first write (nothing to exchange with), or a filesystem without exchange.
        Err(nix::errno::Errno::ENOENT | nix::errno::Errno::EINVAL) => {
            fs::rename(&next, path).at_path(path)
        }
        Err(e) => Err(StoreError::io(path, e.into())),
    }
}

/// Writes `data` over the file at `path` (made if missing) without truncating it to zero
/// first, then cuts it to the new length. On ext4 a truncation to zero (what `O_TRUNC`
/// does, `fs::write`) marks the file so that its next close writes its data to disk at
/// once (the `auto_da_alloc` heuristic): a disk write for every such file of every
/// container start. Not atomic: for files nobody reads while they are written.
pub fn overwrite(path: &Path, data: &[u8]) -> StoreResult<()> {
    (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        f.write_all(data)?;
        f.set_len(data.len() as u64)
    })()
    .at_path(path)
}

/// The sibling `write_record_exchanged` writes into: `.NAME.next`.
pub fn exchange_sibling(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.next"))
}

/// Writes `data` to `path` atomically (mode 0644).
pub fn write_atomic(path: &Path, data: &[u8]) -> StoreResult<()> {
    write_atomic_mode(path, data, 0o644)
}

/// Serialises `value` as pretty JSON and writes it atomically.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> StoreResult<()> {
    write_atomic(path, &encode(path, value)?)
}

/// Reads and parses a JSON file.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> StoreResult<T> {
    let data = fs::read(path).at_path(path)?;
    serde_json::from_slice(&data).map_err(|source| StoreError::Corrupt {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("state.json");
        write_atomic(&p, b"first version, long").expect("write");
        write_atomic(&p, b"second").expect("write");
        assert_eq!(fs::read(&p).expect("read"), b"second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "temp file left behind: {names:?}");
    }

    #[test]
    fn mode_is_applied() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("secret");
        write_atomic_mode(&p, b"x", 0o600).expect("write");
        let mode = fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn exchanged_writes_keep_two_inodes_and_the_newest_record() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("state.json");
        write_record_exchanged(&p, &vec![1]).expect("first");
        write_record_exchanged(&p, &vec![2, 2]).expect("second");
        let inodes = |p: &Path| {
            let mut v = vec![
                fs::metadata(p).expect("meta").ino(),
                fs::metadata(exchange_sibling(p)).expect("sibling").ino(),
            ];
            v.sort();
            v
        };
        let before = inodes(&p);
        for i in 3..10 {
            write_record_exchanged(&p, &vec![i; i]).expect("write");
            let read: Vec<usize> = read_json(&p).expect("read");
            assert_eq!(read, vec![i; i]);
        }
        assert_eq!(inodes(&p), before, "a write made a new file");
    }

    #[test]
    fn overwrite_replaces_longer_and_shorter_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("hosts");
        overwrite(&p, b"a long first version").expect("write");
        overwrite(&p, b"short").expect("write");
        assert_eq!(fs::read(&p).expect("read"), b"short");
        overwrite(&p, b"longer than short").expect("write");
        assert_eq!(fs::read(&p).expect("read"), b"longer than short");
    }
}
