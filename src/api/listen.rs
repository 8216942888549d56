//! Where the service listens: a unix socket from the URI (made here, mode 0660), or the
//! listening socket systemd hands over (`LISTEN_FDS`, socket activation).

use std::os::fd::FromRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The socket when no URI is given (podman's shape, berth's runtime directory).
pub const DEFAULT_URI: &str = "unix:///run/berth/docker.sock";

/// The first file descriptor systemd passes (`SD_LISTEN_FDS_START`).
const LISTEN_FDS_START: i32 = 3;

/// Why the service cannot listen.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// A `tcp://` URI: refused without TLS.
    #[error(
        "refusing to serve '{0}': the API gives root over this machine to whoever reaches it, so berth serves it only on a unix socket (tcp:// with TLS client certificates is not supported yet)"
    )]
    Tcp(String),
    /// Neither `unix://` nor `tcp://`.
    #[error("invalid URI '{0}': expected unix:///path/to/socket")]
    Scheme(String),
    /// Something else listens on the socket already.
    #[error("'{0}' is in use by another service")]
    InUse(PathBuf),
    /// Creating, binding or setting up the socket failed.
    #[error("cannot listen on '{path}': {source}")]
    Io {
        /// The socket's path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The socket path of a `unix://` URI.
fn socket_path(uri: &str) -> Result<PathBuf, ListenError> {
    if uri.starts_with("tcp://") || uri.starts_with("http://") || uri.starts_with("https://") {
        return Err(ListenError::Tcp(uri.to_string()));
    }
    match uri.strip_prefix("unix://") {
        Some(p) if p.starts_with('/') && p.len() > 1 => Ok(PathBuf::from(p)),
        _ => Err(ListenError::Scheme(uri.to_string())),
    }
}

/// Where the service listens, and the socket file it made (removed on exit; none when
/// systemd passed the socket).
pub struct Listening {
    /// The listening socket.
    pub listener: std::os::unix::net::UnixListener,
    /// The socket file this process bound.
    pub made: Option<PathBuf>,
}

/// The socket systemd passed, else a new one bound at `uri` (default [`DEFAULT_URI`]).
/// Call it before any thread exists (it clears systemd's variables).
pub fn open(uri: Option<&str>) -> Result<Listening, ListenError> {
    if let Some(listener) = activated() {
        return Ok(Listening {
            listener,
            made: None,
        });
    }
    let path = socket_path(uri.unwrap_or(DEFAULT_URI))?;
    Ok(Listening {
        listener: bind(&path)?,
        made: Some(path),
    })
}

/// The listener systemd passed, when this process is the one it was meant for.
fn activated() -> Option<std::os::unix::net::UnixListener> {
    let pid: u32 = std::env::var("LISTEN_PID").ok()?.parse().ok()?;
    let fds: i32 = std::env::var("LISTEN_FDS").ok()?.parse().ok()?;
    if pid != std::process::id() || fds < 1 {
        return None;
    }
    // Children (shims) must not take the socket for theirs.
    // SAFETY: `open` runs before the runtime (or any other thread) exists.
    unsafe {
        std::env::remove_var("LISTEN_PID");
        std::env::remove_var("LISTEN_FDS");
        std::env::remove_var("LISTEN_FDNAMES");
    }
    // SAFETY: systemd's protocol: fd 3 is open in this process (checked by LISTEN_PID).
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(LISTEN_FDS_START) };
    // Not inherited by the shims this service starts.
    let _ = nix::fcntl::fcntl(
        fd,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    );
    // SAFETY: systemd's protocol: fd 3 is a listening socket handed to this process.
    Some(unsafe { std::os::unix::net::UnixListener::from_raw_fd(LISTEN_FDS_START) })
}

/// Binds the socket at `path`: its directory made if missing, a stale socket file
/// replaced (a live one refused), mode 0660.
fn bind(path: &Path) -> Result<std::os::unix::net::UnixListener, ListenError> {
    let io = |source| ListenError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    if path.exists() {
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(ListenError::InUse(path.to_path_buf()));
        }
        std::fs::remove_file(path).map_err(io)?;
    }
    let listener = std::os::unix::net::UnixListener::bind(path).map_err(io)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660)).map_err(io)?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unix_uris_are_served() {
        assert_eq!(
            socket_path("unix:///run/berth/docker.sock").expect("unix"),
            PathBuf::from("/run/berth/docker.sock")
        );
        assert!(matches!(
            socket_path("tcp://0.0.0.0:2375"),
            Err(ListenError::Tcp(_))
        ));
        assert!(matches!(
            socket_path("/run/x.sock"),
            Err(ListenError::Scheme(_))
        ));
        assert!(matches!(
            socket_path("unix://"),
            Err(ListenError::Scheme(_))
        ));
    }

    #[test]
    fn a_bound_socket_is_0660_and_a_live_one_is_not_taken_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub/d.sock");
        let l = bind(&p).expect("bind");
        let mode = std::fs::metadata(&p).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o660);
        assert!(matches!(bind(&p), Err(ListenError::InUse(_))));
        drop(l);
        bind(&p).expect("a stale socket is replaced");
    }
}
