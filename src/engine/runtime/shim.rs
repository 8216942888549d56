//! The shim: one small supervisor process per running container (`berth __shim ...`).
//!
//! It runs in a process group of its own, creates the cgroup, launches the container's
//! first process, reports success or failure to whoever spawned it (one line on its
//! stdout pipe), then supervises: writes the log, serves attach clients on its unix
//! socket, records the exit, applies the restart policy and `--rm`, and cleans up. It is single-threaded (a plain poll loop) so it
//! can clone the container's process again for restarts, and stays small when idle.

mod run;

use super::cgroups::Cgroup;
use super::logwriter::LogWriter;
use crate::engine::container::record;
use crate::engine::network::service::Service;
use crate::engine::{Engine, EngineOptions};
use run::Shim;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

/// Entry point of `berth __shim ROOT ID ATTACH`.
pub fn main(args: &[String]) -> i32 {
    let [root, id, attach] = args else {
        eprintln!("usage: berth __shim ROOT ID ATTACH");
        return 2;
    };
    // The spawner put this process in a process group of its own (so a terminal's signals
    // miss it) and does not wait for it: there is no daemonizing fork.
    // Let go of whatever the spawner inherited (a shell's pipes would otherwise stay open
    // for as long as the container runs).
    // SAFETY: close_range closes descriptors this fresh process does not use.
    unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) };
    // SAFETY: fd 1 is the ready pipe the spawner gave us; we own it from here on.
    let ready = unsafe { File::from_raw_fd(1) };
    // With ATTACH, stdin is the spawner's attach connection: keep it on a new descriptor.
    let attached = (attach == "1")
        .then(|| {
            // SAFETY: duplicates fd 0 (close-on-exec) onto a free descriptor >= 3.
            let fd = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3) };
            // SAFETY: the kernel just gave us this descriptor and nothing else owns it.
            (fd >= 0).then(|| unsafe { UnixStream::from_raw_fd(fd) })
        })
        .flatten();
    // The log's rotation comes from the container's own configuration, merged at create.
    let engine = Engine::open_existing(Path::new(root), EngineOptions::default());
    let dir = engine.paths().container(id);
    redirect_stdio(&dir.join("shim.log"));
    let Ok(c) = record::load(engine.paths(), id) else {
        return 1;
    };
    let mut shim = Shim::new(engine, c, ready, attached);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| shim.run()));
    if let Err(payload) = outcome {
        // The panic message is in shim.log already (the hook above); the container
        // would die with this process (PDEATHSIG), so end it and say so in its record.
        let message = super::guard::panic_message(payload.as_ref());
        super::guard::record_panic(&shim.engine, &shim.config, &message);
        shim.report(&format!("error 125 berth shim failed: {message}"));
        return 1;
    }
    0
}

/// stdin and stderr from/to /dev/null (fd 1 stays the ready pipe until the report is
/// written); a panic's message goes to the shim's own log, `shim.log`, which exists only
/// once there is something in it (no file per container start for an empty log).
fn redirect_stdio(shim_log: &Path) {
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        // SAFETY: dup2 onto the standard input and error descriptors.
        unsafe {
            libc::dup2(null.as_raw_fd(), 0);
            libc::dup2(null.as_raw_fd(), 2);
        }
    }
    let path = shim_log.to_path_buf();
    std::panic::set_hook(Box::new(move |info| {
        use std::io::Write;
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
        {
            let _ = writeln!(log, "berth shim {}: {info}", std::process::id());
        }
    }));
}

/// What the shim holds on the host for as long as the container runs (across restarts).
struct Held {
    /// The socket attach clients connect to.
    listener: UnixListener,
    /// The container's log.
    log: LogWriter,
    /// Published ports and the embedded DNS server.
    net: Service,
}

/// Binds the shim's socket, making the runtime directory when it is not there yet.
fn bind(socket_path: &Path) -> std::io::Result<UnixListener> {
    let dir = socket_path.parent().unwrap_or(Path::new("/"));
    let _ = std::fs::remove_file(socket_path);
    match UnixListener::bind(socket_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::engine::store::private::ensure_private(dir).map_err(std::io::Error::other)?;
            UnixListener::bind(socket_path)
        }
        other => other,
    }
}

/// Gives up what the container held on the host: the log (flushed), the published ports,
/// the attach socket's path and the cgroup. Done before the record says the container
/// stopped, because a `start` (or `restart`) that sees it stopped binds the same ports and
/// creates the same socket and cgroup at once, and a late cleanup would remove the new
/// shim's (or a port still held would fail its start).
fn release(log: &mut LogWriter, net: &mut Service, socket_path: &Path, cgroup: &Cgroup) {
    let _ = log.finish();
    net.release_ports();
    let _ = std::fs::remove_file(socket_path);
    // The runtime directory stays for the next start (as /run/docker does): making and
    // removing it cost two directory operations and an inode per container run.
    cgroup.remove();
}
