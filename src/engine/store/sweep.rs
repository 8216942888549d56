//! Removes what an interrupted berth process left in `tmp/`: half-built containers
//! (`create-*`), containers caught mid-removal (`removing-*`) and other scratch files.
//! Interrupted downloads (`partial-*`, resumed by the next pull) are kept for a week.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Scratch entries younger than this may belong to a berth process still at work.
const GRACE: Duration = Duration::from_secs(120);
/// Interrupted downloads older than this are given up.
const PARTIAL_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Deletes entries of `tmp` older than the grace period. Errors are ignored: the sweep is
/// housekeeping and runs again on the next call.
pub fn stale_scratch(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let partial = entry
            .file_name()
            .to_string_lossy()
            .starts_with(crate::engine::image::blobs::PARTIAL_PREFIX);
        let grace = if partial { PARTIAL_GRACE } else { GRACE };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > grace);
        if !old {
            continue;
        }
        let path = entry.path();
        // Never descend into something mounted (a stopped container's rootfs being read).
        if is_mountpoint(&path) {
            continue;
        }
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn is_mountpoint(path: &Path) -> bool {
    let needle = path.display().to_string();
    std::fs::read_to_string("/proc/self/mountinfo")
        .map(|m| {
            m.lines()
                .any(|l| l.split(' ').nth(4) == Some(needle.as_str()))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_entries_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fresh = dir.path().join("create-fresh");
        let old = dir.path().join("removing-old");
        std::fs::create_dir_all(fresh.join("x")).expect("mkdir");
        std::fs::create_dir_all(old.join("y")).expect("mkdir");
        let past = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::open(&old)
            .and_then(|f| f.set_modified(past))
            .expect("set mtime");
        stale_scratch(dir.path());
        assert!(fresh.exists());
        assert!(!old.exists());
    }
}
