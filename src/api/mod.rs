//! `berth system service`: the Docker Engine API on a unix socket (or a TCP port with TLS
//! and client certificates), a third front end over
//! the engine facade beside the CLI and the dashboard.
//!
//! It is a thin translator: each request becomes `Engine` calls (run on blocking threads,
//! since the engine is synchronous) and the answer is Docker's JSON, Docker's multiplexed
//! stream or Docker's JSON progress stream. It keeps no state of its own beyond the
//! connections it serves: containers are owned by their shims and keep running when the
//! service exits, and `berth ps` sees what API clients made.
//!
//! The server is hyper 1 (with hyper-util's tokio glue) on tokio's `UnixListener` (or a
//! `TcpListener` behind tokio-rustls), routed by
//! hand in `route.rs`: the routes are a match on path segments, and the hijacked `attach`
//! connection is hyper's own upgrade (what axum would hand us too), so no router crate.

mod archive;
mod attach;
mod auth;
mod body;
mod build;
mod containers;
mod create;
mod df;
mod error;
mod events;
mod exec;
mod exits;
mod export;
mod hijack;
mod image_archive;
mod images;
mod listen;
mod logs;
mod networks;
mod prune;
mod pull;
mod push;
mod route;
mod server;
mod state;
mod stats;
mod stream_io;
mod system;
mod tls;
mod top;
mod upload;
mod volumes;
mod wait;

pub use listen::{DEFAULT_TLS_PORT, DEFAULT_URI, ListenError};
pub use tls::{TlsError, TlsFlags};

use crate::engine::{Engine, RegistryOptions};

/// What `berth system service` was asked for.
#[derive(Debug, Clone)]
pub struct ServiceOptions {
    /// Where to listen: `unix:///path` (default [`DEFAULT_URI`]), or `tcp://HOST:PORT`
    /// with all three TLS files.
    pub uri: Option<String>,
    /// dockerd's TLS flags (`--tlscacert`, `--tlscert`, `--tlskey`): required for `tcp://`.
    pub tls: TlsFlags,
    /// Idle seconds (no open connection) before the service exits; 0: never.
    pub idle_secs: u64,
    /// Registry settings for pulls (the configuration's `registries:`).
    pub registries: RegistryOptions,
    /// The network a build's RUN steps use when the client asks for `default` (the
    /// configuration's `network.default`, as for `berth build`).
    pub default_network: String,
}

/// Serves the Docker Engine API until the idle time passes (or forever); the exit code.
pub fn serve(engine: Engine, opts: ServiceOptions) -> anyhow::Result<i32> {
    // A client that hangs up mid-response must not end the service: `main` restored
    // SIGPIPE's default (quiet ends for CLI pipes), here a write to a gone client is EPIPE.
    // SAFETY: setting a signal's disposition to ignore, before the runtime's threads exist.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    // Before any thread exists: taking systemd's socket clears its variables.
    let listening = listen::open(opts.uri.as_deref(), &opts.tls)?;
    log_to_stderr();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(server::run(engine, opts, listening));
    // Engine calls still blocking (a `wait` or `logs -f` whose client is gone) must not
    // hold the exit: the containers belong to their shims, nothing is lost.
    runtime.shutdown_background();
    served?;
    Ok(0)
}

/// With `RUST_LOG` set to a level (`debug`, `warn`, ...), the service logs each request
/// and what it refuses on stderr; without it, it is silent.
fn log_to_stderr() {
    let Some(level) = std::env::var("RUST_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing_subscriber::filter::LevelFilter>().ok())
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}
