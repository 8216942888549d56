//! The terminal of a `-t` process, made inside the container: the child opens the
//! container's own `/dev/ptmx` (its private devpts instance), keeps the slave as its stdio,
//! and sends the master to the shim over a socket pair (SCM_RIGHTS), as runc's console
//! socket does. A terminal made by the shim would live on the host's devpts, where the
//! container cannot name it (`tty` would say "not a tty").

use super::error::{Result, RuntimeError};
use nix::fcntl::OFlag;
use nix::pty::{grantpt, posix_openpt, ptsname_r, unlockpt};
use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

/// In the child, after pivot_root: a new terminal of the container's devpts. Sends the
/// master over `socket` and returns the slave.
pub fn open_in_container(socket: &UnixStream) -> Result<OwnedFd> {
    let master = posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .map_err(|e| RuntimeError::path("open", "/dev/ptmx", e))?;
    grantpt(&master).map_err(|e| RuntimeError::call("grantpt", e))?;
    unlockpt(&master).map_err(|e| RuntimeError::call("unlockpt", e))?;
    let name = ptsname_r(&master).map_err(|e| RuntimeError::call("ptsname", e))?;
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(&name)
        .map_err(|e| RuntimeError::file("open", &name, e))?;
    let fds = [master.as_raw_fd()];
    let cmsg = [ControlMessage::ScmRights(&fds)];
    sendmsg::<()>(
        socket.as_raw_fd(),
        &[IoSlice::new(b"m")],
        &cmsg,
        MsgFlags::empty(),
        None,
    )
    .map_err(|e| RuntimeError::call("send the terminal to the shim", e))?;
    Ok(OwnedFd::from(slave))
}

/// In the shim: receives the terminal master the child sent.
pub fn receive(socket: &UnixStream) -> Result<OwnedFd> {
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg = recvmsg::<()>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )
    .map_err(|e| RuntimeError::call("receive the terminal", e))?;
    for c in msg
        .cmsgs()
        .map_err(|e| RuntimeError::call("receive the terminal", e))?
    {
        if let ControlMessageOwned::ScmRights(fds) = c
            && let Some(fd) = fds.first()
        {
            // SAFETY: the kernel just installed this descriptor for us.
            return Ok(unsafe { OwnedFd::from_raw_fd(*fd) });
        }
    }
    Err(RuntimeError::NoTerminal)
}

use std::os::unix::fs::OpenOptionsExt;
