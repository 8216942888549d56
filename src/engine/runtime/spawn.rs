//! Starting a shim from the engine and reading its report.

use super::SHIM_ARG;
use super::error::RuntimeError;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The berth binary to run as the shim: `BERTH_BIN` if set (tests that drive the engine as a
/// library point it at the built binary), else the running executable itself through
/// `/proc/self/exe`, which stays this program's image when the file on disk is replaced or
/// removed (a package upgrade under a long-running `berth system service` or dashboard):
/// the shim is always the same build as the berth that starts it.
fn shim_binary() -> PathBuf {
    std::env::var_os("BERTH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/proc/self/exe"))
}

/// The shim's `argv[0]`: the running executable's path (what `ps` shows), without the
/// ` (deleted)` the kernel appends once the file is replaced.
fn shim_arg0() -> std::ffi::OsString {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("berth"));
    let text = exe.to_string_lossy();
    match text.strip_suffix(" (deleted)") {
        Some(path) => path.into(),
        None => exe.into_os_string(),
    }
}

/// Spawns the shim of container `id` and waits until its first process runs. With
/// `attach`, connects to the shim before the process starts and returns the connection.
pub fn spawn_shim(engine: &Engine, id: &str, attach: bool) -> Result<Option<UnixStream>> {
    let (read_end, write_end) = std::io::pipe().map_err(|e| RuntimeError::io("pipe", e))?;
    // With `attach`, the shim gets its end of the attach connection as its stdin: no
    // connect/accept round trip (two processes to schedule) before the container starts.
    let (stream, shim_stdin) = if attach {
        let (mine, theirs) = UnixStream::pair()
            .map_err(|e| RuntimeError::io("cannot attach to the container", e))?;
        (Some(mine), Stdio::from(std::os::fd::OwnedFd::from(theirs)))
    } else {
        (None, Stdio::null())
    };
    // The shim is spawned directly (no daemonizing fork: one process fewer per start), in
    // a process group of its own so the terminal's Ctrl-C and hang-up never reach it.
    let child = Command::new(shim_binary())
        .arg0(shim_arg0())
        .arg(SHIM_ARG)
        .arg(&engine.paths().root)
        .arg(id)
        .arg(if attach { "1" } else { "0" })
        .stdin(shim_stdin)
        .stdout(Stdio::from(write_end))
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| RuntimeError::io("cannot start the shim", e))?;
    let report = read_report(engine, id, read_end);
    reap_in_background(child);
    report.map(|()| stream)
}

/// The shim stays our child until we exit (then init adopts it). A thread waits for it,
/// so a long-lived caller (the dashboard) keeps no zombie that would look alive. The
/// thread is born with every signal blocked: a signal sent to this process (the SIGTERM
/// an attached `run` passes on to the container) must reach the thread that handles it.
fn reap_in_background(mut child: std::process::Child) {
    use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};
    let mut previous = SigSet::empty();
    let blocked = pthread_sigmask(
        SigmaskHow::SIG_BLOCK,
        Some(&SigSet::all()),
        Some(&mut previous),
    );
    // A small stack: the thread only waits (the dashboard keeps one per container it
    // started). If no thread can be made, the shim is left as a zombie until we exit.
    let _ = std::thread::Builder::new()
        .name("shim-reaper".into())
        .stack_size(64 << 10)
        .spawn(move || child.wait());
    if blocked.is_ok() {
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&previous), None);
    }
}

/// Reads the shim's report lines until it says how the start went.
fn read_report(engine: &Engine, id: &str, read_end: std::io::PipeReader) -> Result<()> {
    let mut reader = BufReader::new(read_end);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| RuntimeError::io("reading the shim's report", e))?;
        if n == 0 {
            return Err(
                RuntimeError::ShimGone(engine.paths().container(id).join("shim.log")).into(),
            );
        }
        let text = line.trim_end();
        if text.starts_with("ok ") {
            return Ok(());
        } else if let Some(rest) = text.strip_prefix("error ") {
            let (code, message) = rest.split_once(' ').unwrap_or(("125", rest));
            let code: i32 = code.parse().unwrap_or(125);
            return Err(if code == 125 {
                RuntimeError::StartFailed(message.to_string()).into()
            } else {
                EngineError::Exec {
                    message: message.to_string(),
                    code,
                }
            });
        }
    }
}
