//! Disk usage of a directory tree, for "Total reclaimed space".

use std::path::Path;

/// Bytes used by the regular files under `path` (symlinks not followed, each hard-linked
/// inode counted once). Unreadable entries count as zero: this is an estimate for display.
pub fn dir_size(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::HashSet::new();
    let mut total = 0u64;
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if meta.is_file() && (meta.nlink() == 1 || seen.insert((meta.dev(), meta.ino()))) {
            total += meta.len();
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_files_once_and_skips_symlinks() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("a"), b"12345").expect("write");
        std::fs::write(dir.path().join("sub/b"), b"123").expect("write");
        std::fs::hard_link(dir.path().join("a"), dir.path().join("sub/a2")).expect("link");
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("l")).expect("symlink");
        assert_eq!(dir_size(dir.path()), 8);
    }
}
