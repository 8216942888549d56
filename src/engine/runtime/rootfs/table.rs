//! The mounts every container gets, as tables: the kernel filesystems under the new root
//! (/proc, /dev and what lives in it, /sys) and Docker's masked and read-only paths.
//!
//! The calls go through [`Mounter`], so the sequence (which filesystem, where, with which
//! flags, what `--privileged` changes) is unit-tested without root; [`Kernel`] makes them.

use super::super::error::{Result, RuntimeError};
use nix::mount::{MsFlags, mount};
use std::fs;
use std::path::Path;

/// What a path is, for masking it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A directory: hidden under an empty read-only tmpfs.
    Dir,
    /// Anything else: hidden under /dev/null.
    Other,
}

/// The kernel calls that build a root filesystem.
pub trait Mounter {
    /// mount(2).
    fn mount(
        &mut self,
        source: Option<&Path>,
        target: &Path,
        fstype: Option<&str>,
        flags: MsFlags,
        data: Option<&str>,
    ) -> Result<()>;
    /// Makes the directory `path` and its parents (a mount point).
    fn make_dir(&mut self, path: &Path) -> Result<()>;
    /// What `path` is, without following a final symlink; None when it does not exist.
    fn kind(&mut self, path: &Path) -> Option<Kind>;
    /// Makes `path` the working directory (relative overlay lower dirs start there).
    fn change_dir(&mut self, path: &Path) -> Result<()>;
}

/// The calls themselves, in the caller's mount namespace.
pub struct Kernel;

impl Mounter for Kernel {
    fn mount(
        &mut self,
        source: Option<&Path>,
        target: &Path,
        fstype: Option<&str>,
        flags: MsFlags,
        data: Option<&str>,
    ) -> Result<()> {
        mount(source, target, fstype, flags, data)
            .map_err(|e| RuntimeError::path("mount", target, e))
    }
    fn make_dir(&mut self, path: &Path) -> Result<()> {
        fs::create_dir_all(path).map_err(|e| RuntimeError::file("create", path, e))
    }
    fn change_dir(&mut self, path: &Path) -> Result<()> {
        std::env::set_current_dir(path).map_err(|e| RuntimeError::file("chdir", path, e))
    }
    fn kind(&mut self, path: &Path) -> Option<Kind> {
        let md = fs::symlink_metadata(path).ok()?;
        Some(if md.is_dir() { Kind::Dir } else { Kind::Other })
    }
}

/// One kernel filesystem mounted in every container.
struct KernelMount {
    /// The mount's source name (shown in /proc/mounts).
    source: &'static str,
    /// Where, relative to the new root.
    target: &'static str,
    /// The filesystem type.
    fstype: &'static str,
    /// Mount flags.
    flags: MsFlags,
    /// Filesystem options.
    data: Option<&'static str>,
    /// Mounted read-only unless the container is `--privileged`.
    read_only_unless_privileged: bool,
}

const NOSUID_NODEV_NOEXEC: MsFlags = MsFlags::MS_NOSUID
    .union(MsFlags::MS_NODEV)
    .union(MsFlags::MS_NOEXEC);

/// Docker's kernel filesystems, in mount order (a parent before what is mounted in it).
const KERNEL_MOUNTS: &[KernelMount] = &[
    KernelMount {
        source: "proc",
        target: "proc",
        fstype: "proc",
        flags: NOSUID_NODEV_NOEXEC,
        data: None,
        read_only_unless_privileged: false,
    },
    KernelMount {
        source: "tmpfs",
        target: "dev",
        fstype: "tmpfs",
        flags: MsFlags::MS_NOSUID.union(MsFlags::MS_STRICTATIME),
        data: Some("mode=755,size=65536k"),
        read_only_unless_privileged: false,
    },
    KernelMount {
        source: "devpts",
        target: "dev/pts",
        fstype: "devpts",
        flags: MsFlags::MS_NOSUID.union(MsFlags::MS_NOEXEC),
        data: Some("newinstance,ptmxmode=0666,mode=0620,gid=5"),
        read_only_unless_privileged: false,
    },
    KernelMount {
        source: "shm",
        target: "dev/shm",
        fstype: "tmpfs",
        flags: NOSUID_NODEV_NOEXEC,
        data: Some("mode=1777,size=65536k"),
        read_only_unless_privileged: false,
    },
    KernelMount {
        source: "mqueue",
        target: "dev/mqueue",
        fstype: "mqueue",
        flags: NOSUID_NODEV_NOEXEC,
        data: None,
        read_only_unless_privileged: false,
    },
    KernelMount {
        source: "sysfs",
        target: "sys",
        fstype: "sysfs",
        flags: NOSUID_NODEV_NOEXEC,
        data: None,
        read_only_unless_privileged: true,
    },
];

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

/// Mounts the kernel filesystems of [`KERNEL_MOUNTS`] under `root`, mount points made.
pub fn mount_kernel_filesystems(m: &mut dyn Mounter, root: &Path, privileged: bool) -> Result<()> {
    for k in KERNEL_MOUNTS {
        let target = root.join(k.target);
        m.make_dir(&target)?;
        let mut flags = k.flags;
        if k.read_only_unless_privileged && !privileged {
            flags |= MsFlags::MS_RDONLY;
        }
        m.mount(
            Some(Path::new(k.source)),
            &target,
            Some(k.fstype),
            flags,
            k.data,
        )?;
    }
    Ok(())
}

/// Bind-mounts `source` on `target`, read-only if asked (a bind mount is made read-only by
/// a remount of it).
pub fn bind(m: &mut dyn Mounter, source: &Path, target: &Path, read_only: bool) -> Result<()> {
    m.mount(
        Some(source),
        target,
        None,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None,
    )?;
    if read_only {
        m.mount(
            None,
            target,
            None,
            MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY | MsFlags::MS_REC,
            None,
        )?;
    }
    Ok(())
}

/// Hides Docker's masked paths under `root` and makes its read-only paths read-only; a
/// `--privileged` container keeps them all as they are.
pub fn mask_paths(m: &mut dyn Mounter, root: &Path, privileged: bool) -> Result<()> {
    if privileged {
        return Ok(());
    }
    for p in MASKED {
        let target = root.join(&p[1..]);
        match m.kind(&target) {
            Some(Kind::Dir) => m.mount(
                Some(Path::new("tmpfs")),
                &target,
                Some("tmpfs"),
                MsFlags::MS_RDONLY,
                None,
            )?,
            Some(Kind::Other) => bind(m, Path::new("/dev/null"), &target, false)?,
            None => {}
        }
    }
    for p in READ_ONLY {
        let target = root.join(&p[1..]);
        if m.kind(&target).is_some() {
            bind(m, &target, &target, true)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// Records the calls; `paths` says what exists.
    #[derive(Default)]
    struct Recorder {
        paths: BTreeMap<PathBuf, Kind>,
        mounts: Vec<(Option<PathBuf>, PathBuf, Option<String>, MsFlags)>,
        dirs: Vec<PathBuf>,
    }

    impl Mounter for Recorder {
        fn mount(
            &mut self,
            source: Option<&Path>,
            target: &Path,
            fstype: Option<&str>,
            flags: MsFlags,
            _data: Option<&str>,
        ) -> Result<()> {
            self.mounts.push((
                source.map(Path::to_path_buf),
                target.to_path_buf(),
                fstype.map(str::to_string),
                flags,
            ));
            Ok(())
        }
        fn make_dir(&mut self, path: &Path) -> Result<()> {
            self.dirs.push(path.to_path_buf());
            Ok(())
        }
        fn kind(&mut self, path: &Path) -> Option<Kind> {
            self.paths.get(path).copied()
        }
        fn change_dir(&mut self, _path: &Path) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn kernel_filesystems_are_mounted_parents_first_and_sys_read_only() {
        let root = Path::new("/merged");
        let mut m = Recorder::default();
        mount_kernel_filesystems(&mut m, root, false).expect("mounts");
        let targets: Vec<&Path> = m.mounts.iter().map(|x| x.1.as_path()).collect();
        let want = ["proc", "dev", "dev/pts", "dev/shm", "dev/mqueue", "sys"].map(|t| root.join(t));
        assert_eq!(
            targets,
            want.iter().map(PathBuf::as_path).collect::<Vec<_>>()
        );
        assert_eq!(m.dirs, want, "every mount point is made first");
        let sys = m.mounts.last().expect("sys");
        assert_eq!(sys.2.as_deref(), Some("sysfs"));
        assert!(sys.3.contains(MsFlags::MS_RDONLY));
        assert!(
            m.mounts.iter().all(|x| x.3.contains(MsFlags::MS_NOSUID)),
            "nothing setuid in kernel filesystems"
        );

        let mut p = Recorder::default();
        mount_kernel_filesystems(&mut p, root, true).expect("mounts");
        assert!(!p.mounts.last().expect("sys").3.contains(MsFlags::MS_RDONLY));
    }

    #[test]
    fn masked_paths_are_hidden_by_kind_and_privileged_keeps_them() {
        let root = Path::new("/merged");
        let mut m = Recorder::default();
        m.paths.insert(root.join("proc/acpi"), Kind::Dir);
        m.paths.insert(root.join("proc/kcore"), Kind::Other);
        m.paths.insert(root.join("proc/sys"), Kind::Dir);
        mask_paths(&mut m, root, false).expect("mask");
        let calls: Vec<(Option<&Path>, &Path, Option<&str>, MsFlags)> = m
            .mounts
            .iter()
            .map(|(s, t, f, fl)| (s.as_deref(), t.as_path(), f.as_deref(), *fl))
            .collect();
        let acpi = root.join("proc/acpi");
        let kcore = root.join("proc/kcore");
        let sys = root.join("proc/sys");
        let bind = MsFlags::MS_BIND | MsFlags::MS_REC;
        assert_eq!(
            calls,
            [
                (
                    Some(Path::new("tmpfs")),
                    acpi.as_path(),
                    Some("tmpfs"),
                    MsFlags::MS_RDONLY
                ),
                (Some(Path::new("/dev/null")), kcore.as_path(), None, bind),
                (Some(sys.as_path()), sys.as_path(), None, bind),
                (
                    None,
                    sys.as_path(),
                    None,
                    bind | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY
                ),
            ]
        );

        let mut p = Recorder {
            paths: m.paths.clone(),
            ..Recorder::default()
        };
        mask_paths(&mut p, root, true).expect("privileged");
        assert!(p.mounts.is_empty());
    }
}
