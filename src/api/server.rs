//! The accept loop: one hyper HTTP/1 connection per client (with upgrades, for attach),
//! on a unix socket or, after a TLS handshake with a client certificate, a TCP port; and
//! the idle timer of `--time`.

use super::ServiceOptions;
use super::listen::Listening;
use super::state::Api;
use crate::engine::Engine;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio_rustls::TlsAcceptor;

/// How long a TCP client may take to complete its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A client's byte stream, whatever carries it (unix socket or TLS over TCP); hijacked
/// upgrades (attach, exec) get it back through hyper as the same boxed stream.
trait ClientStream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> ClientStream for T {}

/// The listening socket, ready for tokio.
enum Acceptor {
    /// Clients on the unix socket.
    Unix(UnixListener),
    /// TCP clients, each to complete a TLS handshake first.
    Tls(TcpListener, TlsAcceptor),
}

/// A client accepted, before any TLS handshake.
enum Incoming {
    /// A unix socket client.
    Unix(UnixStream),
    /// A TCP client and the acceptor for its handshake.
    Tls(TcpStream, TlsAcceptor),
}

impl Acceptor {
    /// The acceptor of `listening` (the socket made non-blocking).
    fn new(listening: &Listening) -> std::io::Result<Acceptor> {
        Ok(match listening {
            Listening::Unix { listener, .. } => {
                listener.set_nonblocking(true)?;
                Acceptor::Unix(UnixListener::from_std(listener.try_clone()?)?)
            }
            Listening::Tls { listener, config } => {
                listener.set_nonblocking(true)?;
                Acceptor::Tls(
                    TcpListener::from_std(listener.try_clone()?)?,
                    TlsAcceptor::from(config.clone()),
                )
            }
        })
    }

    /// The next client.
    async fn accept(&self) -> std::io::Result<Incoming> {
        Ok(match self {
            Acceptor::Unix(l) => Incoming::Unix(l.accept().await?.0),
            Acceptor::Tls(l, tls) => {
                let (tcp, _) = l.accept().await?;
                // Interactive sessions (exec -it, attach) send keystrokes one by one.
                let _ = tcp.set_nodelay(true);
                Incoming::Tls(tcp, tls.clone())
            }
        })
    }
}

impl Incoming {
    /// The client's stream: at once for the unix socket, after the TLS handshake (with a
    /// client certificate the CA signed) for TCP; `None` when the handshake fails.
    async fn stream(self) -> Option<Box<dyn ClientStream>> {
        match self {
            Incoming::Unix(s) => Some(Box::new(s)),
            Incoming::Tls(tcp, tls) => {
                let peer = tcp.peer_addr().ok();
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(tcp)).await {
                    Ok(Ok(s)) => Some(Box::new(s)),
                    Ok(Err(e)) => {
                        tracing::warn!("TLS handshake with {peer:?} refused: {e}");
                        None
                    }
                    Err(_) => {
                        tracing::warn!("TLS handshake with {peer:?}: no answer");
                        None
                    }
                }
            }
        }
    }
}

/// Serves until `opts.idle_secs` pass without an open connection (never when 0).
pub async fn run(engine: Engine, opts: ServiceOptions, listening: Listening) -> anyhow::Result<()> {
    let acceptor = Acceptor::new(&listening)?;
    let idle = Duration::from_secs(opts.idle_secs);
    let mut api = Api::new(engine, opts.registries.clone());
    api.default_network = opts.default_network.clone();
    api.idle = idle;
    let activity = api.activity.clone();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    loop {
        tokio::select! {
            accepted = acceptor.accept() => {
                let incoming = match accepted {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::warn!("accept: {e}");
                        continue;
                    }
                };
                activity.opened();
                let api = api.clone();
                let activity = activity.clone();
                tokio::spawn(async move {
                    if let Some(stream) = incoming.stream().await {
                        serve(api, stream).await;
                    }
                    activity.closed();
                });
            }
            _ = tick.tick() => {
                if !idle.is_zero() && activity.idle_for().is_some_and(|d| d >= idle) {
                    break;
                }
            }
            _ = terminate.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    if let Listening::Unix { made: Some(p), .. } = listening {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

/// One client's HTTP/1 connection, upgrades included, until it closes.
async fn serve(api: Api, stream: Box<dyn ClientStream>) {
    let service = service_fn(move |req| {
        let api = api.clone();
        async move { Ok::<_, std::convert::Infallible>(super::route::handle(api, req).await) }
    });
    let conn = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    if let Err(e) = conn.await {
        tracing::debug!("connection: {e}");
    }
}
