//! Where the service listens: a unix socket from the URI (made here, mode 0660), the
//! listening socket systemd hands over (`LISTEN_FDS`, socket activation), or a TCP port
//! served only with TLS and client certificates (`tcp://HOST:PORT` and dockerd's
//! `--tlsverify --tlscacert --tlscert --tlskey`).

use super::tls::{TlsError, TlsFiles, TlsFlags};
use std::os::fd::FromRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The socket when no URI is given (podman's shape, berth's runtime directory).
pub const DEFAULT_URI: &str = "unix:///run/berth/docker.sock";

/// The port of a `tcp://HOST` URI without one: Docker's port for TLS.
pub const DEFAULT_TLS_PORT: u16 = 2376;

/// The first file descriptor systemd passes (`SD_LISTEN_FDS_START`).
const LISTEN_FDS_START: i32 = 3;

/// Why the service cannot listen.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// A `tcp://` URI without TLS: refused.
    #[error(
        "refusing to serve '{0}' without TLS: the API gives root over this machine to whoever reaches it, so berth serves tcp:// only with TLS and client certificates (--tlsverify --tlscacert CA.pem --tlscert CERT.pem --tlskey KEY.pem), else only on a unix socket"
    )]
    Tcp(String),
    /// A `tcp://` URI with some of the TLS files but not all three.
    #[error(
        "refusing to serve '{uri}': TLS with client certificates needs --tlscacert, --tlscert and --tlskey; {missing} missing"
    )]
    TlsIncomplete {
        /// The URI.
        uri: String,
        /// The flags not given.
        missing: String,
    },
    /// `--tlsverify=false`: TLS without client certificates.
    #[error(
        "refusing --tlsverify=false: anyone who reaches the port would get root over this machine, so berth serves tcp:// only to clients with a certificate signed by --tlscacert"
    )]
    NoVerify,
    /// TLS flags with a unix socket, which is served without TLS.
    #[error("the TLS flags apply to tcp:// only; '{0}' is a unix socket, served without TLS")]
    TlsOnUnix(String),
    /// The TLS files cannot be used.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Neither `unix://` nor `tcp://`.
    #[error("invalid URI '{0}': expected unix:///path/to/socket or tcp://HOST:PORT")]
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
    /// Binding the TCP port failed.
    #[error("cannot listen on 'tcp://{addr}': {source}")]
    Bind {
        /// `HOST:PORT`.
        addr: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Where a URI says to listen.
#[derive(Debug, PartialEq, Eq)]
enum Endpoint {
    /// A unix socket at this path.
    Unix(PathBuf),
    /// A TCP address, `HOST:PORT` (`[V6]:PORT`).
    Tcp(String),
}

/// The endpoint of a `unix://` or `tcp://` URI.
fn endpoint(uri: &str) -> Result<Endpoint, ListenError> {
    if let Some(rest) = uri.strip_prefix("tcp://") {
        return tcp_addr(rest)
            .map(Endpoint::Tcp)
            .ok_or_else(|| ListenError::Scheme(uri.to_string()));
    }
    match uri.strip_prefix("unix://") {
        Some(p) if p.starts_with('/') && p.len() > 1 => Ok(Endpoint::Unix(PathBuf::from(p))),
        _ => Err(ListenError::Scheme(uri.to_string())),
    }
}

/// `HOST:PORT` of what follows `tcp://`: an empty host is 127.0.0.1, a missing port
/// [`DEFAULT_TLS_PORT`] (as dockerd's `-H`); `None` when it is not an address.
fn tcp_addr(rest: &str) -> Option<String> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') {
        return None;
    }
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (host, tail) = v6.split_once(']')?;
            host.parse::<std::net::Ipv6Addr>().ok()?;
            let port = match tail {
                "" => None,
                t => Some(t.strip_prefix(':')?),
            };
            (format!("[{host}]"), port)
        }
        None => match rest.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => return None,
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (rest.to_string(), None),
        },
    };
    let port = match port {
        None | Some("") => DEFAULT_TLS_PORT,
        Some(p) => p.parse().ok()?,
    };
    let host = if host.is_empty() {
        "127.0.0.1".to_string()
    } else {
        host
    };
    Some(format!("{host}:{port}"))
}

/// Where the service listens.
pub enum Listening {
    /// A unix socket, and the socket file this process bound (removed on exit; none when
    /// systemd passed the socket).
    Unix {
        /// The listening socket.
        listener: std::os::unix::net::UnixListener,
        /// The socket file this process bound.
        made: Option<PathBuf>,
    },
    /// A TCP port whose clients must complete a TLS handshake with a client certificate.
    Tls {
        /// The listening socket.
        listener: std::net::TcpListener,
        /// The TLS server's configuration.
        config: Arc<rustls::ServerConfig>,
    },
}

/// The socket systemd passed, else a new one at `uri` (default [`DEFAULT_URI`]): a unix
/// socket, or a TCP port served with TLS when `tls` names all three files. Nothing is bound
/// when the URI or the TLS files are refused. Call it before any thread exists (it clears
/// systemd's variables).
pub fn open(uri: Option<&str>, tls: &TlsFlags) -> Result<Listening, ListenError> {
    if let Some(listener) = activated() {
        return Ok(Listening::Unix {
            listener,
            made: None,
        });
    }
    let uri = uri.unwrap_or(DEFAULT_URI);
    match endpoint(uri)? {
        Endpoint::Unix(path) => {
            if tls.any() {
                return Err(ListenError::TlsOnUnix(uri.to_string()));
            }
            Ok(Listening::Unix {
                listener: bind(&path)?,
                made: Some(path),
            })
        }
        Endpoint::Tcp(addr) => {
            let files = tcp_files(uri, tls)?;
            let config = super::tls::server_config(&files)?;
            let listener =
                std::net::TcpListener::bind(&addr).map_err(|source| ListenError::Bind {
                    addr: addr.clone(),
                    source,
                })?;
            Ok(Listening::Tls { listener, config })
        }
    }
}

/// The three TLS files a `tcp://` URI needs, or why it is refused.
fn tcp_files(uri: &str, tls: &TlsFlags) -> Result<TlsFiles, ListenError> {
    if !tls.any() {
        return Err(ListenError::Tcp(uri.to_string()));
    }
    if tls.verify == Some(false) {
        return Err(ListenError::NoVerify);
    }
    tls.files().map_err(|missing| ListenError::TlsIncomplete {
        uri: uri.to_string(),
        missing: missing.join(", "),
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
    fn unix_and_tcp_uris_are_parsed() {
        assert_eq!(
            endpoint("unix:///run/berth/docker.sock").expect("unix"),
            Endpoint::Unix(PathBuf::from("/run/berth/docker.sock"))
        );
        let tcp = |u: &str| match endpoint(u) {
            Ok(Endpoint::Tcp(a)) => a,
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(tcp("tcp://0.0.0.0:2375"), "0.0.0.0:2375");
        assert_eq!(tcp("tcp://127.0.0.1"), "127.0.0.1:2376");
        assert_eq!(tcp("tcp://localhost:9000/"), "localhost:9000");
        assert_eq!(tcp("tcp://:2377"), "127.0.0.1:2377");
        assert_eq!(tcp("tcp://[::1]"), "[::1]:2376");
        assert_eq!(tcp("tcp://[::1]:9"), "[::1]:9");
        for bad in [
            "/run/x.sock",
            "unix://",
            "http://127.0.0.1:2375",
            "tcp://h:notaport",
            "tcp://::1:9",
            "tcp://h:1/path",
        ] {
            assert!(
                matches!(endpoint(bad), Err(ListenError::Scheme(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn tcp_is_refused_without_all_three_tls_files_and_nothing_is_bound() {
        let none = TlsFlags::default();
        let e = open(Some("tcp://127.0.0.1:0"), &none)
            .err()
            .expect("refused");
        assert!(matches!(e, ListenError::Tcp(_)), "{e}");
        assert!(e.to_string().contains("TLS and client certificates"), "{e}");
        let some = TlsFlags {
            ca: Some(PathBuf::from("/x/ca.pem")),
            ..TlsFlags::default()
        };
        let e = open(Some("tcp://127.0.0.1:0"), &some)
            .err()
            .expect("refused");
        assert!(e.to_string().contains("--tlscert, --tlskey missing"), "{e}");
        let unverified = TlsFlags {
            verify: Some(false),
            ca: Some(PathBuf::from("/x/ca.pem")),
            cert: Some(PathBuf::from("/x/cert.pem")),
            key: Some(PathBuf::from("/x/key.pem")),
        };
        let e = open(Some("tcp://127.0.0.1:0"), &unverified)
            .err()
            .expect("refused");
        assert!(matches!(e, ListenError::NoVerify), "{e}");
        let e = open(Some("unix:///tmp/x.sock"), &some)
            .err()
            .expect("refused");
        assert!(matches!(e, ListenError::TlsOnUnix(_)), "{e}");
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
