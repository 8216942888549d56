//! Pseudo-terminals for `-t`: the container's (or exec'd process's) stdio is the slave side,
//! the shim holds the master.

use super::error::{Result, RuntimeError};
use nix::pty::Winsize;
use std::os::fd::{AsRawFd, OwnedFd};

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
