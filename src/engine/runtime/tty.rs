//! Pseudo-terminals for `-t`: the container's (or exec'd process's) stdio is the slave side,
//! the shim holds the master.

use super::error::{Result, RuntimeError};
use nix::pty::{Winsize, openpty};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// A new pty pair: (master, slave), both close-on-exec.
pub fn open() -> Result<(OwnedFd, OwnedFd)> {
    let pty = openpty(None, None).map_err(|e| RuntimeError::call("openpty", e))?;
    for fd in [&pty.master, &pty.slave] {
        let _ = nix::fcntl::fcntl(
            fd,
            nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
        );
    }
    Ok((pty.master, pty.slave))
}

/// Sets the window size of the terminal behind `fd` (master or slave).
pub fn set_size(fd: &OwnedFd, rows: u16, cols: u16) {
    let ws = Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads a winsize struct we own.
    unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
}

/// The window size of the terminal on `fd`, if it is one.
pub fn size_of(fd: RawFd) -> Option<(u16, u16)> {
    let mut ws = Winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes into the winsize struct we own.
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_row > 0).then_some((ws.ws_row, ws.ws_col))
}

/// In the child: start a session and make fd 0 (the slave) its controlling terminal.
pub fn make_controlling() -> Result<()> {
    nix::unistd::setsid().map_err(|e| RuntimeError::call("setsid", e))?;
    // SAFETY: TIOCSCTTY on fd 0 with argument 0 (do not steal).
    if unsafe { libc::ioctl(0, libc::TIOCSCTTY, 0) } < 0 {
        return Err(RuntimeError::io(
            "set controlling terminal",
            std::io::Error::last_os_error(),
        ));
    }
    Ok(())
}
