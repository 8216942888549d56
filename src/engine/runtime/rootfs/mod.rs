//! The container's filesystem view, built inside its new mount namespace just before exec:
//! overlay root, /proc, /dev, /sys, user mounts, masked paths, then pivot_root.
//!
//! [`setup`] is a list of named stages; the kernel filesystems and masked paths are tables
//! (`table`), mounted through a trait so their sequence is tested without root.
//!
//! Everything here runs in the freshly cloned child. Mounts made here exist only in the
//! container's mount namespace, so they vanish with the container: nothing leaks on the host.

mod devices;
mod loopback;
pub mod table;

pub use loopback::loopback_up;

use super::error::{Result, RuntimeError};
use super::inroot::{Root, fd_path};
use nix::mount::{MntFlags, MsFlags, umount2};
use std::path::{Path, PathBuf};
use table::{Kernel, Mounter};

/// A mount the plan applies, with its host source already resolved.
#[derive(Debug, Clone)]
pub struct PlannedMount {
    /// Host path (bind, volume) or empty (tmpfs).
    pub source: PathBuf,
    /// Absolute path in the container.
    pub destination: String,
    /// `true` for tmpfs.
    pub tmpfs: bool,
    /// Read-only.
    pub read_only: bool,
    /// tmpfs options (`size=64m`).
    pub options: String,
}

/// Everything the child needs to build the root filesystem.
#[derive(Debug, Clone)]
pub struct RootfsPlan {
    /// Where the merged root is mounted (the shared `mnt/`, inside the container's mount
    /// namespace).
    pub rootfs: PathBuf,
    /// Image layer dirs, bottom first: relative to `lower_base` (or absolute).
    pub lower: Vec<PathBuf>,
    /// The directory the overlay is mounted from (the layers' short links): relative lower
    /// dirs keep the mount options within one page.
    pub lower_base: PathBuf,
    /// The read-write layer (`rw/upper`) and overlay work dir (`rw/work`).
    pub upper: PathBuf,
    /// Overlay work dir.
    pub work: PathBuf,
    /// An empty directory used as the only lower layer of an image without layers.
    pub empty: PathBuf,
    /// A private copy of the layers to use instead of overlayfs (the copy driver).
    pub copied: Option<PathBuf>,
    /// Files bind-mounted over /etc/hostname, /etc/hosts, /etc/resolv.conf.
    pub etc_files: Vec<(PathBuf, &'static str)>,
    /// User mounts, in order.
    pub mounts: Vec<PlannedMount>,
    /// `--read-only`.
    pub read_only: bool,
    /// Mount the overlay `volatile` (`--rm`): when the container ends, overlayfs then does
    /// not sync the whole filesystem under the read-write layer (tens of ms on a busy
    /// disk, all of it in the container's exit) for a layer that is deleted anyway.
    pub volatile: bool,
    /// `--privileged`: no masked or read-only paths, /sys writable.
    pub privileged: bool,
    /// Device nodes to make besides Docker's set (`--device`; every host device for
    /// `--privileged`).
    pub devices: Vec<crate::engine::container::devices::Device>,
}

/// Builds the container's root and pivots into it. Runs in the child, in its new mount
/// namespace, after the new pid namespace exists (for /proc).
pub fn setup(plan: &RootfsPlan) -> Result<()> {
    let k = &mut Kernel;
    let root = plan.rootfs.as_path();
    make_mounts_private(k)?;
    mount_root(k, plan)?;
    table::mount_kernel_filesystems(k, root, plan.privileged)?;
    devices::populate(root, &plan.devices)?;
    // User mounts and berth's /etc files: targets made, opened and mounted on inside the
    // root by the kernel's resolution (`inroot`), never through a path resolved here.
    let in_root = Root::open(root)?;
    user_mounts(k, &in_root, &plan.mounts)?;
    etc_files(k, &in_root, plan)?;
    drop(in_root);
    table::mask_paths(k, root, plan.privileged)?;
    pivot(root)?;
    if plan.read_only {
        remount_root_read_only(k)?;
    }
    Ok(())
}

/// Nothing mounted from here on may propagate back to the host.
fn make_mounts_private(m: &mut dyn Mounter) -> Result<()> {
    m.mount(
        None,
        Path::new("/"),
        None,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None,
    )
}

/// The merged root: the overlay of the image's layers, or the copy driver's private copy.
fn mount_root(m: &mut dyn Mounter, plan: &RootfsPlan) -> Result<()> {
    match &plan.copied {
        Some(copy) => table::bind(m, copy, &plan.rootfs, false),
        None => mount_overlay(m, plan),
    }
}

/// The overlay mount of the root: the image's layers (top first) under the read-write
/// layer, `volatile` for `--rm` where the kernel knows it.
fn mount_overlay(m: &mut dyn Mounter, plan: &RootfsPlan) -> Result<()> {
    let lowers: Vec<String> = if plan.lower.is_empty() {
        vec![plan.empty.display().to_string()]
    } else {
        plan.lower
            .iter()
            .rev()
            .map(|p| p.display().to_string())
            .collect()
    };
    let opts = format!(
        "lowerdir={},upperdir={},workdir={}",
        lowers.join(":"),
        plan.upper.display(),
        plan.work.display()
    );
    m.change_dir(&plan.lower_base)?;
    let mut overlay = |opts: &str| {
        m.mount(
            Some(Path::new("overlay")),
            &plan.rootfs,
            Some("overlay"),
            MsFlags::empty(),
            Some(opts),
        )
    };
    // Kernels before 5.10 do not know `volatile`: mount without it there.
    if plan.volatile && overlay(&format!("{opts},volatile")).is_ok() {
        return Ok(());
    }
    overlay(&opts)
}

/// The user's `-v`/`--mount` binds and `--tmpfs` mounts, in order.
fn user_mounts(m: &mut dyn Mounter, in_root: &Root, mounts: &[PlannedMount]) -> Result<()> {
    for mnt in mounts {
        if mnt.tmpfs {
            mount_tmpfs(m, in_root, mnt).map_err(|e| e.for_destination(&mnt.destination))?;
        } else {
            bind_in_root(m, in_root, &mnt.source, &mnt.destination, mnt.read_only)?;
        }
    }
    Ok(())
}

/// A `--tmpfs` mount (mode 1777 unless its options say otherwise).
fn mount_tmpfs(m: &mut dyn Mounter, in_root: &Root, mnt: &PlannedMount) -> Result<()> {
    let fd = in_root.mountpoint(&mnt.destination, false)?;
    let mut flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
    if mnt.read_only {
        flags |= MsFlags::MS_RDONLY;
    }
    let data = if mnt.options.is_empty() {
        "mode=1777"
    } else {
        mnt.options.as_str()
    };
    m.mount(
        Some(Path::new("tmpfs")),
        &fd_path(&fd),
        Some("tmpfs"),
        flags,
        Some(data),
    )
}

/// The engine's /etc files after the user's mounts, so a volume on /etc (an image's
/// `VOLUME /etc`) does not hide them; a file the user mounted there himself stays his.
fn etc_files(m: &mut dyn Mounter, in_root: &Root, plan: &RootfsPlan) -> Result<()> {
    for (source, dest) in &plan.etc_files {
        let users = plan
            .mounts
            .iter()
            .any(|mnt| Path::new(&mnt.destination) == Path::new(dest));
        if !users {
            bind_in_root(m, in_root, source, dest, false)?;
        }
    }
    Ok(())
}

/// Bind-mounts host path `source` on `dest` inside the root (made if missing), read-only
/// if asked: the read-only remount goes through the mount just made, opened again.
fn bind_in_root(
    m: &mut dyn Mounter,
    r: &Root,
    source: &Path,
    dest: &str,
    read_only: bool,
) -> Result<()> {
    let fd = r.mountpoint(dest, !source.is_dir())?;
    m.mount(
        Some(source),
        &fd_path(&fd),
        None,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None,
    )
    .map_err(|e| e.for_destination(dest))?;
    if read_only {
        let mounted = r
            .open_in(dest, nix::fcntl::OFlag::O_PATH)
            .map_err(|e| RuntimeError::call(format!("open '{dest}' again"), e))?;
        m.mount(
            None,
            &fd_path(&mounted),
            None,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY | MsFlags::MS_REC,
            None,
        )
        .map_err(|e| e.for_destination(dest))?;
    }
    Ok(())
}

/// pivot_root into the new root; the old root is detached and disappears.
fn pivot(root: &Path) -> Result<()> {
    std::env::set_current_dir(root).map_err(|e| RuntimeError::file("chdir", root, e))?;
    nix::unistd::pivot_root(".", ".").map_err(|e| RuntimeError::path("pivot_root", root, e))?;
    umount2(".", MntFlags::MNT_DETACH)
        .map_err(|e| RuntimeError::path("detach old root", root, e))?;
    std::env::set_current_dir("/").map_err(|e| RuntimeError::file("chdir", "/", e))
}

/// `--read-only`: the root, once pivoted into, made read-only.
fn remount_root_read_only(m: &mut dyn Mounter) -> Result<()> {
    m.mount(
        None,
        Path::new("/"),
        None,
        MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY,
        None,
    )
}
