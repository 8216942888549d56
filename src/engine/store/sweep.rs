//! Removes what an interrupted berth process left in `tmp/`: half-built containers
//! (`create-*`), containers caught mid-removal (`removing-*`), half-extracted layers of a
//! killed pull (`layer-*`) and other scratch files. Interrupted downloads (`partial-*`,
//! resumed by the next pull) are kept for a week.
//!
//! Scratch entries named by [`owned`] carry their maker's pid and start time: one whose
//! maker is gone is removed by the next berth command at once, and one whose maker is
//! alive is never touched, however long it works. Entries without an owner are removed
//! once older than a grace period.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Scratch entries younger than this may belong to a berth process still at work.
const GRACE: Duration = Duration::from_secs(120);
/// Interrupted downloads older than this are given up.
const PARTIAL_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Deletes entries of `tmp` whose owner is gone (see [`owned`]) and unowned ones older
/// than the grace period. Errors are ignored: the sweep is housekeeping and runs again on
/// the next call.
pub fn stale_scratch(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let partial = name.starts_with(crate::engine::image::blobs::PARTIAL_PREFIX);
        let old = match owner(&name) {
            Some((pid, start)) => !crate::engine::procfs::is_same_process(pid, start),
            None => older_than(&entry, now, if partial { PARTIAL_GRACE } else { GRACE }),
        };
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

/// `base` followed by the calling process's pid and start time: the name of a scratch
/// entry in `tmp/` that the sweep removes as soon as this process is gone, and not before.
pub fn owned(base: &str) -> String {
    let me = std::process::id() as i32;
    let start = crate::engine::procfs::start_time(me).unwrap_or(0);
    format!("{base}{OWNER_MARK}{me}.{start}")
}

/// What separates a scratch name from its owner (`layer-0123abcd@4242.987654`).
const OWNER_MARK: char = '@';

/// The pid and start time in a name made by [`owned`].
fn owner(name: &str) -> Option<(i32, u64)> {
    let (_, tail) = name.rsplit_once(OWNER_MARK)?;
    let (pid, start) = tail.split_once('.')?;
    Some((pid.parse().ok()?, start.parse().ok()?))
}

fn older_than(entry: &std::fs::DirEntry, now: SystemTime, grace: Duration) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| now.duration_since(t).ok())
        .is_some_and(|age| age > grace)
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

    #[test]
    fn owned_entries_go_with_their_owner_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mine = dir.path().join(owned("layer-mine"));
        // A pid that cannot exist (above pid_max), and one alive with another start time.
        let dead = dir.path().join("layer-dead@2147483000.5");
        let recycled = dir
            .path()
            .join(format!("layer-recycled@{}.1", std::process::id()));
        for d in [&mine, &dead, &recycled] {
            std::fs::create_dir_all(d.join("diff")).expect("mkdir");
        }
        stale_scratch(dir.path());
        assert!(mine.exists(), "a live owner's entry stays");
        assert!(!dead.exists(), "a dead owner's entry goes at once");
        assert!(!recycled.exists(), "a recycled pid is not the owner");
    }
}
