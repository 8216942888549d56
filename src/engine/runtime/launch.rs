//! Launching a container's first process from the shim: pipes, clone into new namespaces,
//! cgroup placement, and the go-ahead.

use super::cgroups::Cgroup;
use super::init::{self, ChildFds, InitPlan};
use super::privileges::Privileges;
use super::rootfs::{PlannedMount, RootfsPlan};
use super::storage;
use crate::engine::container::{ContainerConfig, MountKind};
use crate::engine::store::Paths;
use nix::fcntl::OFlag;
use nix::sched::CloneFlags;
use nix::unistd::{self, Pid};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// A running first process and the shim's ends of its stdio.
pub struct Launched {
    /// Host pid.
    pub pid: Pid,
    /// The shim's side of its stdio.
    pub stdio: ShimStdio,
}

/// The child's side of a process's stdio: its fds 0, 1 and 2.
pub struct ChildStdio {
    /// The child's fd 0.
    pub stdin: OwnedFd,
    /// The child's fd 1.
    pub stdout: OwnedFd,
    /// The child's fd 2.
    pub stderr: OwnedFd,
}

/// The shim's side of a process's stdio: pipes, or a terminal with `-t`.
pub struct ShimStdio {
    /// Where the child's input is written (with `-i`).
    pub stdin: Option<OwnedFd>,
    /// The child's output (the terminal with `-t`).
    pub stdout: OwnedFd,
    /// The child's error output (none with `-t`: both streams are the terminal).
    pub stderr: Option<OwnedFd>,
    /// The terminal master, for resizing.
    pub pty: Option<OwnedFd>,
}

/// The shim's side of a `-t` process once its terminal master has arrived.
pub fn tty_stdio(master: OwnedFd, open_stdin: bool) -> Result<ShimStdio, LaunchError> {
    let dup = |fd: &OwnedFd| fd.try_clone().map_err(|e| err(format!("dup: {e}")));
    Ok(ShimStdio {
        stdin: if open_stdin {
            Some(dup(&master)?)
        } else {
            None
        },
        stdout: dup(&master)?,
        stderr: None,
        pty: Some(master),
    })
}

/// Pipes for a new process; with `tty`, placeholders (the child makes its terminal inside
/// the container and sends the master: see `console`).
pub fn stdio(open_stdin: bool, tty: bool) -> Result<(ChildStdio, ShimStdio), LaunchError> {
    if tty {
        let null = || {
            std::fs::File::open("/dev/null")
                .map(OwnedFd::from)
                .map_err(|e| err(format!("open /dev/null: {e}")))
        };
        let child = ChildStdio {
            stdin: null()?,
            stdout: null()?,
            stderr: null()?,
        };
        let shim = ShimStdio {
            stdin: None,
            stdout: null()?,
            stderr: None,
            pty: None,
        };
        return Ok((child, shim));
    }
    let (out_r, out_w) = pipe()?;
    let (errout_r, errout_w) = pipe()?;
    let (stdin_r, stdin_w) = if open_stdin {
        let (r, w) = pipe()?;
        (r, Some(w))
    } else {
        let null =
            std::fs::File::open("/dev/null").map_err(|e| err(format!("open /dev/null: {e}")))?;
        (OwnedFd::from(null), None)
    };
    Ok((
        ChildStdio {
            stdin: stdin_r,
            stdout: out_w,
            stderr: errout_w,
        },
        ShimStdio {
            stdin: stdin_w,
            stdout: out_r,
            stderr: Some(errout_r),
            pty: None,
        },
    ))
}

/// Why a launch failed, with Docker's exit code.
#[derive(Debug, Clone)]
pub struct LaunchError {
    /// 125, 126 or 127.
    pub code: i32,
    /// One line.
    pub message: String,
}

fn err(message: impl Into<String>) -> LaunchError {
    LaunchError {
        code: 125,
        message: message.into(),
    }
}

fn pipe() -> Result<(OwnedFd, OwnedFd), LaunchError> {
    unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| err(format!("pipe: {e}")))
}

/// Files bind-mounted over /etc/hostname, /etc/hosts and /etc/resolv.conf, written now.
fn write_etc_files(
    paths: &Paths,
    dir: &Path,
    config: &ContainerConfig,
) -> Result<Vec<(PathBuf, &'static str)>, LaunchError> {
    let hostname = dir.join("hostname");
    let hosts = dir.join("hosts");
    let resolv = dir.join("resolv.conf");
    let w = |p: &Path, text: &str| {
        // In place, not truncated first (see `store::overwrite`): the files are reused
        // from the last start or from a spare directory.
        crate::engine::store::overwrite(p, text.as_bytes())
            .map_err(|e| err(format!("write {}: {e}", p.display())))
    };
    w(&hostname, &format!("{}\n", config.hostname))?;
    let host_resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    if config.network_mode == "host" {
        let host_hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
        w(&hosts, &host_hosts)?;
        w(&resolv, &host_resolv)?;
    } else {
        let (hosts_text, resolv_text) =
            crate::engine::network::hosts::for_container(paths, config, &host_resolv);
        w(&hosts, &hosts_text)?;
        w(&resolv, &resolv_text)?;
    }
    Ok(vec![
        (hostname, "/etc/hostname"),
        (hosts, "/etc/hosts"),
        (resolv, "/etc/resolv.conf"),
    ])
}

/// The init layer (`init/`, shared by every container), stacked above the image's layers:
/// the mount points berth itself needs (/proc, /dev, /sys, the /etc files), so making them
/// never writes into a read-write layer and `diff` shows only what the container changed.
/// Built once, in `tmp/` and renamed into place, so no container sees it half made.
fn init_layer(paths: &Paths) -> Result<PathBuf, LaunchError> {
    let init = paths.init_layer();
    if init.is_dir() {
        return Ok(init);
    }
    let tmp = paths
        .tmp()
        .join(format!("init-{}-{}", std::process::id(), ids_now()));
    let built = (|| -> std::io::Result<()> {
        for d in ["proc", "dev", "sys", "etc"] {
            std::fs::create_dir_all(tmp.join(d))?;
        }
        for f in ["etc/hostname", "etc/hosts", "etc/resolv.conf"] {
            std::fs::write(tmp.join(f), b"")?;
        }
        Ok(())
    })();
    let placed = built.and_then(|()| std::fs::rename(&tmp, &init));
    if placed.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    // Another shim may have placed it first: that one is as good.
    if init.is_dir() {
        return Ok(init);
    }
    Err(err(format!(
        "create {}: {}",
        init.display(),
        placed.err().map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Nanoseconds of the clock, to tell apart scratch names of one process.
fn ids_now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// With the copy driver (no overlayfs), the container's private root, built on first use.
fn copied_root(
    paths: &Paths,
    dir: &Path,
    config: &ContainerConfig,
) -> Result<Option<PathBuf>, LaunchError> {
    let layers = paths.layers();
    let root = storage::copied_root(dir);
    if root.is_dir() {
        return Ok(Some(root));
    }
    if storage::driver() == storage::Driver::Overlay {
        return Ok(None);
    }
    let mut dirs: Vec<PathBuf> = crate::engine::image::links::visible(paths, &config.layers)
        .iter()
        .map(|l| layers.join(l).join("diff"))
        .collect();
    dirs.push(init_layer(paths)?);
    storage::copy_layers(&dirs, dir)
        .map_err(|e| err(format!("copy the image into the container: {e}")))?;
    Ok(Some(root))
}

/// The plan for the first process of `config`, which will have `privileges`.
pub fn plan(
    paths: &Paths,
    config: &ContainerConfig,
    cgroup: &Cgroup,
    privileges: &Privileges,
) -> Result<InitPlan, LaunchError> {
    let dir = paths.container(&config.id);
    let mut mounts = Vec::new();
    for m in &config.mounts {
        let source = match m.kind {
            MountKind::Bind => PathBuf::from(&m.source),
            MountKind::Volume => paths.volumes().join(&m.source).join("_data"),
            MountKind::Tmpfs => PathBuf::new(),
        };
        if m.kind != MountKind::Tmpfs && !source.exists() {
            return Err(err(format!(
                "mount source '{}' for '{}' does not exist",
                source.display(),
                m.destination
            )));
        }
        mounts.push(PlannedMount {
            source,
            destination: m.destination.clone(),
            tmpfs: m.kind == MountKind::Tmpfs,
            read_only: m.read_only,
            options: m.options.clone(),
        });
    }
    // Short names relative to `l/`, where the overlay is mounted from.
    let mut lower = crate::engine::image::links::lower_dirs(paths, &config.layers)
        .map_err(|e| err(e.to_string()))?;
    lower.push(init_layer(paths)?);
    let rootfs = RootfsPlan {
        rootfs: paths.rootfs_mountpoint(),
        lower,
        lower_base: crate::engine::image::links::links_dir(paths),
        upper: dir.join("rw").join("upper"),
        work: dir.join("rw").join("work"),
        empty: dir.join("rw").join("empty"),
        copied: copied_root(paths, &dir, config)?,
        etc_files: write_etc_files(paths, &dir, config)?,
        mounts,
        read_only: config.read_only,
        volatile: config.auto_remove,
        privileged: config.security.privileged,
        devices: if config.security.privileged {
            crate::engine::container::devices::all_host_devices()
        } else {
            config.security.devices.clone()
        },
    };
    // (`empty` is the only lower layer of an image without layers.)
    let empty = config.layers.is_empty().then_some(&rootfs.empty);
    for d in [&rootfs.upper, &rootfs.work].into_iter().chain(empty) {
        std::fs::create_dir_all(d).map_err(|e| err(format!("create {}: {e}", d.display())))?;
    }
    Ok(InitPlan {
        rootfs,
        argv: config.argv(),
        env: crate::engine::network::links::process_env(paths, config),
        cwd: config.working_dir.clone(),
        user: config.user.clone(),
        hostname: config.hostname.clone(),
        privileges: privileges.clone(),
        cgroup: cgroup.clone(),
    })
}

/// Clones the first process into new namespaces (it builds its root filesystem and joins
/// the cgroup of its plan), lets it exec, and reports whether the exec succeeded.
/// `on_placed` runs meanwhile, before the go-ahead (the shim records the pid and sets up
/// the network there); an error from it kills the child. With `host_network` the process
/// keeps the shim's network namespace.
pub fn launch(
    plan: &InitPlan,
    open_stdin: bool,
    tty: bool,
    host_network: bool,
    on_placed: &mut dyn FnMut(Pid) -> Result<(), String>,
) -> Result<Launched, LaunchError> {
    let (sync_r, sync_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    let (child, mut shim) = stdio(open_stdin, tty)?;
    let (console_shim, console_child) = if tty {
        let (a, b) =
            std::os::unix::net::UnixStream::pair().map_err(|e| err(format!("socketpair: {e}")))?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let fds = ChildFds {
        sync: sync_r,
        error: err_w,
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        console: console_child,
    };
    let mut flags = CloneFlags::CLONE_NEWPID
        | CloneFlags::CLONE_NEWNS
        | CloneFlags::CLONE_NEWUTS
        | CloneFlags::CLONE_NEWIPC;
    if !host_network {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    let mut stack = vec![0u8; 1024 * 1024];
    // SAFETY: the shim is single-threaded, so the child (a copy of this address space
    // without CLONE_VM) may allocate and run ordinary Rust code until it execs or exits.
    let pid = unsafe {
        nix::sched::clone(
            Box::new(|| init::child_main(plan, &fds)),
            &mut stack,
            flags,
            Some(libc::SIGCHLD),
        )
    }
    .map_err(|e| err(format!("clone: {e}")))?;
    drop(fds);

    // The child builds its root filesystem and joins its cgroup meanwhile (it only waits
    // for the go-ahead to exec).
    if let Err(message) = on_placed(pid) {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(pid, None);
        // A child that failed first (a missing command) says why; that is the real error.
        return Err(child_failure(&err_r).unwrap_or_else(|| err(message)));
    }
    let _ = unistd::write(&sync_w, b"g");
    drop(sync_w);

    // EOF on the error pipe means exec succeeded (close-on-exec) or the child died.
    if let Some(failure) = child_failure(&err_r) {
        let _ = nix::sys::wait::waitpid(pid, None);
        return Err(failure);
    }
    if let Some(sock) = console_shim {
        let master = super::console::receive(&sock).map_err(err)?;
        shim = tty_stdio(master, open_stdin)?;
    }
    Ok(Launched { pid, stdio: shim })
}

/// Reads the child's error pipe to its end (the child exec'd or died): the failure it
/// reported, if any.
fn child_failure(err_r: &OwnedFd) -> Option<LaunchError> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match unistd::read(err_r, &mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => break,
        }
    }
    if buf.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&buf);
    let (code, message) = text.split_once('\n').unwrap_or(("125", &text));
    Some(LaunchError {
        code: code.parse().unwrap_or(125),
        message: message.to_string(),
    })
}
