//! Wake-ups when what a container list shows may have changed, so a front end lists again
//! on change rather than on a timer: an inotify watch on the state root's container
//! records (a container made or removed, its `config.json`, `state.json` or `health.json`
//! replaced) and on the event journal (`events.log`, appended by every berth process for
//! every create, start, die, rename, network connect, ...).
//!
//! What inotify cannot see (a shim killed with SIGKILL leaves its record saying
//! `running` until a listing reconciles it) needs a slow safety tick on the caller's side.

use crate::engine::Engine;
use crate::engine::container::record::files;
use crate::engine::store::Paths;
use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use std::ffi::OsStr;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why the state root cannot be watched.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// No inotify instance could be made (the user's limit, `fs.inotify.max_user_instances`).
    #[error("cannot watch the state root for changes: {0}")]
    Init(#[source] std::io::Error),
    /// A directory could not be watched.
    #[error("cannot watch '{}' for changes: {source}", path.display())]
    Watch {
        /// The directory.
        path: PathBuf,
        /// What the kernel said.
        source: std::io::Error,
    },
    /// Reading the notifications failed.
    #[error("cannot read the state root's change notifications: {0}")]
    Read(#[source] std::io::Error),
}

/// The records of a container whose replacement changes what a listing shows.
const RECORDS: [&str; 3] = [files::CONFIG, files::STATE, files::HEALTH];

/// A watch on the state root's container records and event journal; see the module's
/// documentation. Dropping it closes the watch.
pub struct ChangeWatch {
    inotify: Inotify,
    /// The state root's own watch (for `events.log`).
    root: WatchDescriptor,
    /// The watch on `containers/` (directories made and removed).
    containers: WatchDescriptor,
    containers_dir: PathBuf,
    journal: PathBuf,
    buffer: Vec<u8>,
}

/// What is watched on the state root: the journal's appends (and its first creation).
fn root_mask() -> WatchMask {
    WatchMask::MODIFY | WatchMask::CREATE | WatchMask::MOVED_TO
}

/// What is watched on `containers/`: container directories made and removed.
fn containers_mask() -> WatchMask {
    WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::ONLYDIR
}

/// What is watched in a container's directory: records replaced (written to a temporary
/// name and renamed, or exchanged) or written in place. Not `MODIFY`: the log file in the
/// same directory grows with every line the container prints.
fn record_mask() -> WatchMask {
    WatchMask::MOVED_TO | WatchMask::CLOSE_WRITE | WatchMask::ONLYDIR
}

impl ChangeWatch {
    /// Watches the state root laid out by `paths`: the journal, `containers/` and every
    /// container directory in it.
    fn new(paths: &Paths) -> Result<ChangeWatch, WatchError> {
        let mut inotify = Inotify::init().map_err(WatchError::Init)?;
        let add = |inotify: &mut Inotify, dir: &Path, mask| {
            inotify
                .watches()
                .add(dir, mask)
                .map_err(|source| WatchError::Watch {
                    path: dir.to_path_buf(),
                    source,
                })
        };
        let journal = paths.events();
        let root_dir = journal.parent().unwrap_or(Path::new("/")).to_path_buf();
        let containers_dir = paths.containers();
        let root = add(&mut inotify, &root_dir, root_mask())?;
        let containers = add(&mut inotify, &containers_dir, containers_mask())?;
        let mut watch = ChangeWatch {
            inotify,
            root,
            containers,
            containers_dir,
            journal,
            buffer: vec![0; 4096],
        };
        // After the directory's watch: a container made meanwhile is seen either way.
        let dir = watch.containers_dir.clone();
        for entry in std::fs::read_dir(&dir)
            .map_err(|source| WatchError::Watch { path: dir, source })?
            .flatten()
        {
            watch.watch_container(&entry.file_name());
        }
        Ok(watch)
    }

    /// Watches the records of the container directory `name` (a 64-hex id). A directory
    /// that cannot be watched (gone already, or the user's watch limit reached) is left to
    /// the caller's safety tick.
    fn watch_container(&mut self, name: &OsStr) {
        if is_container_dir(name) {
            let _ = self
                .inotify
                .watches()
                .add(self.containers_dir.join(name), record_mask());
        }
    }

    /// Waits up to `timeout` for a change: true when something changed (one wake-up for
    /// any number of changes already queued), false when the time passed without one.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, WatchError> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.drain()? {
                return Ok(true);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            // Rounded up to the next millisecond: no early wake-up to wait again.
            let left = PollTimeout::try_from(left + Duration::from_micros(999))
                .unwrap_or(PollTimeout::MAX);
            let mut fds = [PollFd::new(self.inotify.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, left) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(WatchError::Read(e.into())),
            }
        }
    }

    /// Reads every queued notification (without blocking); true when one of them matters.
    fn drain(&mut self) -> Result<bool, WatchError> {
        let mut changed = false;
        let mut new_dirs = Vec::new();
        loop {
            let events = match self.inotify.read_events(&mut self.buffer) {
                Ok(events) => events,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(WatchError::Read(e)),
            };
            let mut any = false;
            for event in events {
                any = true;
                let name = event.name.unwrap_or_default();
                if event.mask.contains(EventMask::Q_OVERFLOW) {
                    changed = true;
                } else if event.wd == self.root {
                    changed |= Some(name) == self.journal.file_name();
                } else if event.wd == self.containers {
                    if is_container_dir(name) {
                        changed = true;
                        if event
                            .mask
                            .intersects(EventMask::CREATE | EventMask::MOVED_TO)
                        {
                            new_dirs.push(name.to_os_string());
                        }
                    }
                } else {
                    changed |= RECORDS.iter().any(|r| OsStr::new(r) == name);
                }
            }
            if !any {
                break;
            }
        }
        for dir in new_dirs {
            self.watch_container(&dir);
        }
        Ok(changed)
    }
}

/// Whether `name` in `containers/` is a container's directory (its 64-hex id), not one of
/// the lock files beside them.
fn is_container_dir(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() == 64 && name.iter().all(u8::is_ascii_hexdigit)
}

impl Engine {
    /// Watches the state root for changes to what [`Engine::containers`] lists (records
    /// made, removed or replaced, events recorded by any berth process), so a front end
    /// can list again on [`ChangeWatch::wait`]'s wake-ups instead of on a timer.
    pub fn watch_changes(&self) -> Result<ChangeWatch, WatchError> {
        ChangeWatch::new(self.paths())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn root() -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        std::fs::create_dir_all(paths.containers()).expect("containers/");
        (dir, paths)
    }

    /// Waits for the first wake-up (a generous bound: none of these asserts a speed).
    fn woken(w: &mut ChangeWatch) -> bool {
        w.wait(Duration::from_secs(10)).expect("wait")
    }

    /// Nothing queued: a short wait that must end without a wake-up.
    fn quiet(w: &mut ChangeWatch) -> bool {
        !w.wait(Duration::from_millis(100)).expect("wait")
    }

    #[test]
    fn a_new_container_and_its_records_wake_it_but_its_log_does_not() {
        let (_dir, paths) = root();
        let mut w = ChangeWatch::new(&paths).expect("watch");
        assert!(quiet(&mut w), "nothing changed yet");

        let c = paths.containers().join(ID);
        std::fs::create_dir(&c).expect("container dir");
        assert!(woken(&mut w), "a new container directory wakes it");
        assert!(quiet(&mut w), "one wake-up per change");

        std::fs::write(c.join("state.json.tmp"), b"{}").expect("tmp");
        std::fs::rename(c.join("state.json.tmp"), c.join(files::STATE)).expect("rename");
        assert!(woken(&mut w), "a replaced state record wakes it");

        let mut log = std::fs::File::create(c.join(format!("{ID}-json.log"))).expect("log");
        assert!(quiet(&mut w), "creating the log is not a change");
        log.write_all(b"{\"log\":\"hi\\n\"}\n").expect("log line");
        assert!(quiet(&mut w), "a log line is not a change");

        std::fs::remove_dir_all(&c).expect("rm");
        assert!(woken(&mut w), "a removed container wakes it");
    }

    #[test]
    fn an_event_in_the_journal_wakes_it_and_lock_files_do_not() {
        let (_dir, paths) = root();
        let mut w = ChangeWatch::new(&paths).expect("watch");
        std::fs::write(paths.containers().join(".names.lock"), b"").expect("lock");
        assert!(
            quiet(&mut w),
            "a lock file beside the containers is not a change"
        );
        let mut journal = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(paths.events())
            .expect("journal");
        assert!(woken(&mut w), "the journal's creation wakes it");
        journal.write_all(b"{}\n").expect("event");
        assert!(woken(&mut w), "an appended event wakes it");
    }
}
