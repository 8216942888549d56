//! The container's loopback interface, brought up from inside its new network namespace.

use super::super::error::{Result, RuntimeError};

/// Brings up the loopback interface of the current network namespace. Done with one ioctl
/// because it runs in the cloned child, where no async netlink client can be built.
pub fn loopback_up() -> Result<()> {
    // SAFETY: plain socket/ioctl calls on a zeroed, properly sized ifreq; the fd is closed.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(RuntimeError::io("socket", std::io::Error::last_os_error()));
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            req.ifr_name[i] = *b as libc::c_char;
        }
        let mut result = Ok(());
        if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) < 0 {
            result = Err(RuntimeError::io(
                "get lo flags",
                std::io::Error::last_os_error(),
            ));
        } else {
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            if libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) < 0 {
                result = Err(RuntimeError::io(
                    "bring lo up",
                    std::io::Error::last_os_error(),
                ));
            }
        }
        libc::close(fd);
        result
    }
}
