//! The accept loop: one hyper HTTP/1 connection per client (with upgrades, for attach),
//! and the idle timer of `--time`.

use super::ServiceOptions;
use super::listen::Listening;
use super::state::Api;
use crate::engine::Engine;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::time::Duration;
use tokio::net::UnixListener;

/// Serves until `opts.idle_secs` pass without an open connection (never when 0).
pub async fn run(engine: Engine, opts: ServiceOptions, listening: Listening) -> anyhow::Result<()> {
    let Listening {
        listener: std_listener,
        made: path,
    } = listening;
    std_listener.set_nonblocking(true)?;
    let listener = UnixListener::from_std(std_listener)?;
    let idle = Duration::from_secs(opts.idle_secs);
    let mut api = Api::new(engine, opts.registries.clone());
    api.default_network = opts.default_network.clone();
    api.idle = idle;
    let activity = api.activity.clone();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
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
    if let Some(p) = path {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}
