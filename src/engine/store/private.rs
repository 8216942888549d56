//! Directories only root may enter: the state root (image layers hold setuid programs and
//! file capabilities that a host user must never reach and run) and the runtime directory
//! (the shims' sockets).

use super::error::{AtPath, StoreResult};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// The mode of berth's private directories.
pub const MODE: u32 = 0o700;

/// Makes `dir` (and missing parents) with mode 0700, or takes the group's and others'
/// bits away from an existing one (a state root made by an older berth).
pub fn ensure_private(dir: &Path) -> StoreResult<()> {
    let made = match std::fs::metadata(dir) {
        Ok(md) if md.permissions().mode() & 0o777 == MODE => Ok(()),
        Ok(_) => std::fs::set_permissions(dir, std::fs::Permissions::from_mode(MODE)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(MODE)
            .create(dir),
        Err(e) => Err(e),
    };
    made.at_path(dir)
}

/// Whether the peer of a unix socket may talk to a shim: root, or the shim's own user.
pub fn peer_is_trusted(stream: &std::os::unix::net::UnixStream) -> bool {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    match getsockopt(stream, PeerCredentials) {
        Ok(c) => c.uid() == 0 || c.uid() == nix::unistd::geteuid().as_raw(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_directory_is_closed_and_a_new_one_made_private() {
        let t = tempfile::tempdir().expect("tempdir");
        let open = t.path().join("open");
        std::fs::create_dir(&open).expect("mkdir");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        ensure_private(&open).expect("close");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&open), 0o700);
        let new = t.path().join("a/b");
        ensure_private(&new).expect("make");
        assert_eq!(mode(&new), 0o700);
    }
}
