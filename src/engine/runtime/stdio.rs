//! A new process's standard streams: the child's ends (fds 0-2) and the shim's (pipes, or
//! the terminal master with `-t`).

use super::error::{Result, RuntimeError};
use nix::fcntl::OFlag;
use nix::unistd;
use std::os::fd::OwnedFd;

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(OwnedFd, OwnedFd)> {
    unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| RuntimeError::call("pipe", e))
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
pub fn tty_stdio(master: OwnedFd, open_stdin: bool) -> Result<ShimStdio> {
    let dup = |fd: &OwnedFd| fd.try_clone().map_err(|e| RuntimeError::io("dup", e));
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
pub fn stdio(open_stdin: bool, tty: bool) -> Result<(ChildStdio, ShimStdio)> {
    if tty {
        let null = || {
            std::fs::File::open("/dev/null")
                .map(OwnedFd::from)
                .map_err(|e| RuntimeError::file("open", "/dev/null", e))
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
        let null = std::fs::File::open("/dev/null")
            .map_err(|e| RuntimeError::file("open", "/dev/null", e))?;
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
