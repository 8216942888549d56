//! Reaching a container's root filesystem from the host.
//!
//! The overlay (image layers + `rw/upper`) is only mounted inside the container's own mount
//! namespace. A running container's files are reached through `/proc/<pid>/root`, which
//! also shows its volumes and bind mounts. For a stopped one we mount the overlay ourselves,
//! in a fresh mount namespace owned by one short-lived thread, on a directory under
//! `<root>/tmp/`: the host never sees the mount, and it disappears with the thread even if
//! berth is killed. The container's lock is held meanwhile so it cannot start.

use crate::engine::Engine;
use crate::engine::container::record;
use crate::engine::container::{Container, Status};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::procfs;
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

/// `/proc/<pid>/root` of a running or paused container whose process is alive.
pub fn running_root(c: &Container) -> Option<PathBuf> {
    let s = &c.state;
    (matches!(s.status, Status::Running | Status::Paused)
        && s.pid > 0
        && procfs::is_same_process(s.pid, s.pid_start))
    .then(|| PathBuf::from(format!("/proc/{}/root", s.pid)))
}

impl Engine {
    /// Runs `f` with the path of the container's root filesystem (merged view, writable).
    /// `f` runs on another thread when the container is stopped (that thread owns the
    /// private mount), hence the `Send` bounds.
    pub fn with_rootfs<T: Send>(
        &self,
        c: &Container,
        f: impl FnOnce(&Path) -> Result<T> + Send,
    ) -> Result<T> {
        if let Some(root) = running_root(c) {
            return f(&root);
        }
        let dir = self.paths().container(c.id());
        let lock = record::lock_state(self.paths(), c.id())?;
        // It may have started while we waited for the lock.
        let fresh = record::load(self.paths(), c.id())?;
        if let Some(root) = running_root(&fresh) {
            drop(lock);
            return f(&root);
        }
        let copied = crate::engine::runtime::storage::copied_root(&dir);
        if copied.is_dir() {
            // The copy driver: the container's root is a plain directory.
            let out = f(&copied);
            drop(lock);
            return out;
        }
        let mut layers: Vec<PathBuf> =
            crate::engine::image::links::visible(self.paths(), &c.config.layers)
                .iter()
                .map(|l| self.layer_dir(l))
                .collect();
        // The shared init layer (containers made before it was shared have their own).
        let own_init = dir.join("rw").join("init");
        let init = if own_init.is_dir() {
            own_init
        } else {
            self.paths().init_layer()
        };
        if init.is_dir() {
            layers.push(init);
        }
        let tmp = self.paths().tmp();
        let out = std::thread::scope(|s| {
            s.spawn(|| {
                enter_private_mount_namespace()?;
                let mnt = OverlayMount::new(&tmp, &layers, &dir.join("rw"))?;
                f(mnt.path())
            })
            .join()
        });
        drop(lock);
        out.unwrap_or_else(|p| std::panic::resume_unwind(p))
    }
}

/// Gives the calling thread a mount namespace of its own whose mounts never propagate
/// back to the host's.
fn enter_private_mount_namespace() -> Result<()> {
    unshare(CloneFlags::CLONE_NEWNS)
        .map_err(|e| EngineError::sys("unshare a mount namespace", e))?;
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(|e| EngineError::sys("make mounts private", e))
}

/// An overlay mounted on a temporary directory; unmounted and removed when dropped.
struct OverlayMount {
    target: PathBuf,
    /// Extra directory used as the only lower layer of an image with no layers.
    empty: Option<PathBuf>,
    mounted: bool,
}

impl OverlayMount {
    /// Mounts `layers` (bottom first) under `rw/upper` with `rw/work` on a new directory
    /// in `tmp`.
    fn new(tmp: &Path, layers: &[PathBuf], rw: &Path) -> Result<OverlayMount> {
        let id = crate::engine::ids::random_id();
        let mut m = OverlayMount {
            target: tmp.join(format!("rootfs-{}", &id[..16])),
            empty: None,
            mounted: false,
        };
        std::fs::create_dir(&m.target).at(&m.target)?;
        let (upper, work) = (rw.join("upper"), rw.join("work"));
        for d in [&upper, &work] {
            std::fs::create_dir_all(d).at(d)?;
        }
        let mut lowers: Vec<PathBuf> = layers.iter().rev().cloned().collect();
        if lowers.is_empty() {
            let empty = tmp.join(format!("rootfs-{}-empty", &id[..16]));
            std::fs::create_dir(&empty).at(&empty)?;
            lowers.push(empty.clone());
            m.empty = Some(empty);
        }
        // Layer paths are long and the mount data is limited to a page: name each layer
        // by an open descriptor (`/proc/self/fd/N`) instead, which the kernel resolves.
        let fds = lowers
            .iter()
            .map(|l| open_dir(l))
            .collect::<Result<Vec<OwnedFd>>>()?;
        let lowerdir: Vec<String> = fds
            .iter()
            .map(|fd| format!("/proc/self/fd/{}", fd.as_raw_fd()))
            .collect();
        let data = format!(
            "lowerdir={},upperdir={},workdir={}",
            lowerdir.join(":"),
            upper.display(),
            work.display()
        );
        mount(
            Some("overlay"),
            &m.target,
            Some("overlay"),
            MsFlags::empty(),
            Some(data.as_str()),
        )
        .map_err(|e| {
            EngineError::sys(
                format!(
                    "mount the container's filesystem on '{}'",
                    m.target.display()
                ),
                e,
            )
        })?;
        m.mounted = true;
        Ok(m)
    }

    fn path(&self) -> &Path {
        &self.target
    }
}

fn open_dir(path: &Path) -> Result<OwnedFd> {
    use nix::fcntl::{OFlag, open};
    use nix::sys::stat::Mode;
    open(
        path,
        OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| EngineError::sys(format!("open layer '{}'", path.display()), e))
}

impl Drop for OverlayMount {
    fn drop(&mut self) {
        if self.mounted
            && let Err(e) = umount2(&self.target, MntFlags::MNT_DETACH)
        {
            tracing::warn!(path = %self.target.display(), error = %e, "unmount failed");
        }
        let _ = std::fs::remove_dir(&self.target);
        if let Some(e) = &self.empty {
            let _ = std::fs::remove_dir(e);
        }
    }
}
