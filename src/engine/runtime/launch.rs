//! Launching a container's first process from the shim: pipes, clone into new namespaces,
//! cgroup placement, and the go-ahead.

use super::cgroups::Cgroup;
use super::error::RuntimeError;
use super::init::{self, ChildFds, InitPlan};
use super::privileges::Privileges;
use super::rootfs::{PlannedMount, RootfsPlan};
use super::stdio::pipe;
pub use super::stdio::{ShimStdio, stdio, tty_stdio};
use super::storage;
use crate::engine::container::{ContainerConfig, MountKind};
use crate::engine::store::Paths;
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

/// Why a launch failed, with Docker's exit code.
#[derive(Debug, Clone)]
pub struct LaunchError {
    /// 125, 126 or 127.
    pub code: i32,
    /// One line.
    pub message: String,
}

fn err(message: impl std::fmt::Display) -> LaunchError {
    LaunchError {
        code: 125,
        message: message.to_string(),
    }
}

impl From<RuntimeError> for LaunchError {
    fn from(e: RuntimeError) -> LaunchError {
        err(e)
    }
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
    on_placed: &mut dyn FnMut(Pid) -> Result<(), RuntimeError>,
) -> Result<Launched, LaunchError> {
    let (fds, shim) = make_channels(open_stdin, tty)?;
    let pid = clone_child(plan, fds, host_network)?;
    // The child builds its root filesystem and joins its cgroup meanwhile (it only waits
    // for the go-ahead to exec).
    if let Err(e) = on_placed(pid) {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        let _ = nix::sys::wait::waitpid(pid, None);
        // A child that failed first (a missing command) says why; that is the real error.
        return Err(child_failure(&shim.error).unwrap_or_else(|| err(e)));
    }
    go_ahead(shim.sync);
    // EOF on the error pipe means exec succeeded (close-on-exec) or the child died.
    if let Some(failure) = child_failure(&shim.error) {
        let _ = nix::sys::wait::waitpid(pid, None);
        return Err(failure);
    }
    let stdio = match shim.console {
        Some(sock) => tty_stdio(super::console::receive(&sock)?, open_stdin)?,
        None => shim.stdio,
    };
    Ok(Launched { pid, stdio })
}

/// The ends the shim keeps: the go-ahead's write end, the error pipe's read end, its side
/// of the stdio, and with `-t` the socket the terminal master arrives on.
struct ShimSide {
    sync: OwnedFd,
    error: OwnedFd,
    stdio: ShimStdio,
    console: Option<std::os::unix::net::UnixStream>,
}

/// The go-ahead and error pipes, the stdio, and with `-t` the console socket pair: the
/// child's ends ([`ChildFds`]) and the shim's.
fn make_channels(open_stdin: bool, tty: bool) -> Result<(ChildFds, ShimSide), LaunchError> {
    let (sync_r, sync_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    let (child, shim) = stdio(open_stdin, tty)?;
    let (console_shim, console_child) = if tty {
        let (a, b) = std::os::unix::net::UnixStream::pair()
            .map_err(|e| RuntimeError::io("socketpair", e))?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let child = ChildFds {
        sync: sync_r,
        error: err_w,
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        console: console_child,
    };
    let shim = ShimSide {
        sync: sync_w,
        error: err_r,
        stdio: shim,
        console: console_shim,
    };
    Ok((child, shim))
}

/// clone(2) into new pid, mount, uts, ipc (and, without `host_network`, network)
/// namespaces; the child runs [`init::child_main`]. The child's ends are closed here once
/// it has its copies.
fn clone_child(plan: &InitPlan, fds: ChildFds, host_network: bool) -> Result<Pid, LaunchError> {
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
    .map_err(|e| RuntimeError::call("clone", e))?;
    drop(fds);
    Ok(pid)
}

/// Lets the child go on to exec.
fn go_ahead(sync: OwnedFd) {
    let _ = unistd::write(&sync, b"g");
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
