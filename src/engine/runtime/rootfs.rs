//! The container's filesystem view, built inside its new mount namespace just before exec:
//! overlay root, /proc, /dev, /sys, user mounts, masked paths, then pivot_root.
//!
//! Everything here runs in the freshly cloned child. Mounts made here exist only in the
//! container's mount namespace, so they vanish with the container: nothing leaks on the host.

use super::inroot::{Root, fd_path};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sys::stat::{FchmodatFlags, Mode, SFlag, fchmodat, makedev, mknod};
use std::collections::VecDeque;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Component, Path, PathBuf};

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

/// Docker's masked paths: hidden from the container.
const MASKED: &[&str] = &[
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

/// Docker's read-only paths.
const READ_ONLY: &[&str] = &[
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Device nodes made in the container's /dev (Docker's default set): name, major, minor.
const DEVICES: &[(&str, u64, u64)] = &[
    ("null", 1, 3),
    ("zero", 1, 5),
    ("full", 1, 7),
    ("random", 1, 8),
    ("urandom", 1, 9),
    ("tty", 5, 0),
];

/// Makes character device `major:minor` at `target`, mode 0666 whatever the umask, as runc
/// does outside a user namespace: one mknod instead of a file plus a bind mount of the
/// host's node. The devices cgroup still decides what the container may open.
fn make_device(target: &Path, major: u64, minor: u64) -> Result<(), String> {
    let mode = Mode::from_bits_truncate(0o666);
    mknod(target, SFlag::S_IFCHR, mode, makedev(major, minor))
        .map_err(|e| err("create device", target, e))?;
    fchmodat(
        nix::fcntl::AT_FDCWD,
        target,
        mode,
        FchmodatFlags::FollowSymlink,
    )
    .map_err(|e| err("set the mode of", target, e))
}

fn err(what: &str, target: &Path, e: impl std::fmt::Display) -> String {
    format!("{what} '{}': {e}", target.display())
}

fn do_mount(
    source: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: MsFlags,
    data: Option<&str>,
) -> Result<(), String> {
    mount(source, target, fstype, flags, data).map_err(|e| err("mount", target, e))
}

/// Resolves `path` inside `root` as if `root` were `/`: symlinks are followed within the
/// root and `..` stops at it, so the result never leaves `root`. Written by hand because it
/// must run in the cloned child before exec, with no runtime and no allocation-heavy crate.
pub fn resolve_in_root(root: &Path, path: &str) -> PathBuf {
    let mut resolved = PathBuf::new();
    let mut pending: VecDeque<String> = Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    let mut links = 0;
    while let Some(c) = pending.pop_front() {
        if c == ".." {
            resolved.pop();
            continue;
        }
        let candidate = root.join(&resolved).join(&c);
        match fs::symlink_metadata(&candidate) {
            Ok(m) if m.file_type().is_symlink() && links < 40 => {
                links += 1;
                let Ok(target) = fs::read_link(&candidate) else {
                    break;
                };
                if target.is_absolute() {
                    resolved.clear();
                }
                let parts: Vec<String> = target
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        Component::ParentDir => Some("..".into()),
                        _ => None,
                    })
                    .collect();
                for p in parts.into_iter().rev() {
                    pending.push_front(p);
                }
            }
            _ => resolved.push(c),
        }
    }
    root.join(resolved)
}

/// Creates a mount point for `source` at `target`: a directory, or an empty file when the
/// source is a file.
fn ensure_mountpoint(target: &Path, file: bool) -> Result<(), String> {
    if file {
        if let Some(p) = target.parent() {
            fs::create_dir_all(p).map_err(|e| err("create", p, e))?;
        }
        if !target.exists() {
            fs::File::create(target).map_err(|e| err("create", target, e))?;
        }
        Ok(())
    } else {
        fs::create_dir_all(target).map_err(|e| err("create", target, e))
    }
}

fn bind(source: &Path, target: &Path, read_only: bool) -> Result<(), String> {
    do_mount(
        Some(source),
        target,
        None,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None,
    )?;
    if read_only {
        do_mount(
            None,
            target,
            None,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY | MsFlags::MS_REC,
            None,
        )?;
    }
    Ok(())
}

/// Makes the nodes of `devices` inside the root (their parents resolved by the kernel in
/// the root); one already there (Docker's set) is left as it is.
fn make_extra_devices(
    root: &Path,
    devices: &[crate::engine::container::devices::Device],
) -> Result<(), String> {
    if devices.is_empty() {
        return Ok(());
    }
    let r = Root::open(root)?;
    // Mode 0666 whatever the umask, as Docker's set is made (the cgroup decides access).
    let old_umask = nix::sys::stat::umask(Mode::empty());
    let made = make_nodes(&r, devices);
    nix::sys::stat::umask(old_umask);
    made
}

fn make_nodes(
    r: &Root,
    devices: &[crate::engine::container::devices::Device],
) -> Result<(), String> {
    for d in devices {
        let path = Path::new(&d.container);
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let dir = r.mkdir_all(&parent.to_string_lossy())?;
        let kind = if d.kind == 'b' {
            SFlag::S_IFBLK
        } else {
            SFlag::S_IFCHR
        };
        let mode = Mode::from_bits_truncate(0o666);
        match nix::sys::stat::mknodat(&dir, name, kind, mode, makedev(d.major, d.minor)) {
            Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
            Err(e) => return Err(format!("create device '{}': {e}", d.container)),
        }
    }
    Ok(())
}

/// Bind-mounts host path `source` on `dest` inside the root (made if missing), read-only
/// if asked: the read-only remount goes through the mount just made, opened again.
fn bind_in_root(r: &Root, source: &Path, dest: &str, read_only: bool) -> Result<(), String> {
    let fd = r.mountpoint(dest, !source.is_dir())?;
    let shown = |e: String| format!("{e} (for '{dest}')");
    do_mount(
        Some(source),
        &fd_path(&fd),
        None,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None,
    )
    .map_err(shown)?;
    if read_only {
        let mounted = r
            .open_in(dest, nix::fcntl::OFlag::O_PATH)
            .map_err(|e| format!("open '{dest}' again: {e}"))?;
        do_mount(
            None,
            &fd_path(&mounted),
            None,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY | MsFlags::MS_REC,
            None,
        )
        .map_err(shown)?;
    }
    Ok(())
}

/// Builds the container's root and pivots into it. Runs in the child, in its new mount
/// namespace, after the new pid namespace exists (for /proc).
pub fn setup(plan: &RootfsPlan) -> Result<(), String> {
    // Nothing we mount may propagate back to the host.
    do_mount(
        None,
        Path::new("/"),
        None,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None,
    )?;

    let root = &plan.rootfs;
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
    match &plan.copied {
        Some(copy) => bind(copy, root, false)?,
        None => {
            std::env::set_current_dir(&plan.lower_base)
                .map_err(|e| err("chdir", &plan.lower_base, e))?;
            let overlay = |opts: &str| {
                do_mount(
                    Some(Path::new("overlay")),
                    root,
                    Some("overlay"),
                    MsFlags::empty(),
                    Some(opts),
                )
            };
            // Kernels before 5.10 do not know `volatile`: mount without it there.
            if !(plan.volatile && overlay(&format!("{opts},volatile")).is_ok()) {
                overlay(&opts)?;
            }
        }
    }

    let nosuid_nodev_noexec = MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC;
    let proc_dir = root.join("proc");
    ensure_mountpoint(&proc_dir, false)?;
    do_mount(
        Some(Path::new("proc")),
        &proc_dir,
        Some("proc"),
        nosuid_nodev_noexec,
        None,
    )?;

    let dev = root.join("dev");
    ensure_mountpoint(&dev, false)?;
    do_mount(
        Some(Path::new("tmpfs")),
        &dev,
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_STRICTATIME,
        Some("mode=755,size=65536k"),
    )?;
    for (name, major, minor) in DEVICES {
        make_device(&dev.join(name), *major, *minor)?;
    }
    make_extra_devices(root, &plan.devices)?;
    let pts = dev.join("pts");
    ensure_mountpoint(&pts, false)?;
    do_mount(
        Some(Path::new("devpts")),
        &pts,
        Some("devpts"),
        MsFlags::MS_NOSUID | MsFlags::MS_NOEXEC,
        Some("newinstance,ptmxmode=0666,mode=0620,gid=5"),
    )?;
    let shm = dev.join("shm");
    ensure_mountpoint(&shm, false)?;
    do_mount(
        Some(Path::new("shm")),
        &shm,
        Some("tmpfs"),
        nosuid_nodev_noexec,
        Some("mode=1777,size=65536k"),
    )?;
    let mqueue = dev.join("mqueue");
    ensure_mountpoint(&mqueue, false)?;
    do_mount(
        Some(Path::new("mqueue")),
        &mqueue,
        Some("mqueue"),
        nosuid_nodev_noexec,
        None,
    )?;
    for (link, target) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("ptmx", "pts/ptmx"),
        ("core", "/proc/kcore"),
    ] {
        let _ = symlink(target, dev.join(link));
    }

    let sys = root.join("sys");
    ensure_mountpoint(&sys, false)?;
    do_mount(
        Some(Path::new("sysfs")),
        &sys,
        Some("sysfs"),
        if plan.privileged {
            nosuid_nodev_noexec
        } else {
            nosuid_nodev_noexec | MsFlags::MS_RDONLY
        },
        None,
    )?;

    // User mounts and berth's /etc files: targets made, opened and mounted on inside the
    // root by the kernel's resolution (`inroot`), never through a path resolved here.
    let in_root = Root::open(root)?;
    for m in &plan.mounts {
        if m.tmpfs {
            let fd = in_root.mountpoint(&m.destination, false)?;
            let mut flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
            if m.read_only {
                flags |= MsFlags::MS_RDONLY;
            }
            let data = if m.options.is_empty() {
                "mode=1777".to_string()
            } else {
                m.options.clone()
            };
            do_mount(
                Some(Path::new("tmpfs")),
                &fd_path(&fd),
                Some("tmpfs"),
                flags,
                Some(&data),
            )
            .map_err(|e| format!("{e} (for '{}')", m.destination))?;
        } else {
            bind_in_root(&in_root, &m.source, &m.destination, m.read_only)?;
        }
    }

    // The engine's /etc files after the user's mounts, so a volume on /etc (an image's
    // `VOLUME /etc`) does not hide them; a file the user mounted there himself stays his.
    for (source, dest) in &plan.etc_files {
        if plan
            .mounts
            .iter()
            .any(|m| Path::new(&m.destination) == Path::new(dest))
        {
            continue;
        }
        bind_in_root(&in_root, source, dest, false)?;
    }
    drop(in_root);

    let (masked, read_only): (&[&str], &[&str]) = if plan.privileged {
        (&[], &[])
    } else {
        (MASKED, READ_ONLY)
    };
    for p in masked {
        let target = root.join(&p[1..]);
        match fs::symlink_metadata(&target) {
            Ok(md) if md.is_dir() => {
                do_mount(
                    Some(Path::new("tmpfs")),
                    &target,
                    Some("tmpfs"),
                    MsFlags::MS_RDONLY,
                    None,
                )?;
            }
            Ok(_) => bind(Path::new("/dev/null"), &target, false)?,
            Err(_) => {}
        }
    }
    for p in read_only {
        let target = root.join(&p[1..]);
        if target.exists() {
            bind(&target, &target, true)?;
        }
    }

    // pivot_root into the new root; the old root is detached and disappears.
    std::env::set_current_dir(root).map_err(|e| err("chdir", root, e))?;
    nix::unistd::pivot_root(".", ".").map_err(|e| err("pivot_root", root, e))?;
    umount2(".", MntFlags::MNT_DETACH).map_err(|e| err("detach old root", root, e))?;
    std::env::set_current_dir("/").map_err(|e| err("chdir", Path::new("/"), e))?;

    if plan.read_only {
        do_mount(
            None,
            Path::new("/"),
            None,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY,
            None,
        )?;
    }
    Ok(())
}

/// Brings up the loopback interface of the current network namespace. Done with one ioctl
/// because it runs in the cloned child, where no async netlink client can be built.
pub fn loopback_up() -> Result<(), String> {
    // SAFETY: plain socket/ioctl calls on a zeroed, properly sized ifreq; the fd is closed.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(format!("socket: {}", std::io::Error::last_os_error()));
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let mut result = Ok(());
        if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) < 0 {
            result = Err(format!("get lo flags: {}", std::io::Error::last_os_error()));
        } else {
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            if libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) < 0 {
                result = Err(format!("bring lo up: {}", std::io::Error::last_os_error()));
            }
        }
        libc::close(fd);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_never_leaves_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("etc")).expect("mkdir");
        symlink("/", root.join("evil")).expect("symlink");
        symlink("../../../../etc", root.join("up")).expect("symlink");
        symlink("etc", root.join("rel")).expect("symlink");
        assert_eq!(
            resolve_in_root(root, "/evil/etc/passwd"),
            root.join("etc/passwd")
        );
        assert_eq!(resolve_in_root(root, "/up/hosts"), root.join("etc/hosts"));
        assert_eq!(resolve_in_root(root, "/../../x"), root.join("x"));
        assert_eq!(resolve_in_root(root, "/rel/x"), root.join("etc/x"));
        symlink("loop", root.join("loop")).expect("symlink");
        assert!(resolve_in_root(root, "/loop/x").starts_with(root));
    }
}
