//! What every request handler shares: the engine, the registry settings, attach clients
//! waiting for their container to start, and the exit codes seen.

use super::error::ApiError;
use super::exits::Exits;
use crate::engine::{Engine, ExecRequest, RegistryOptions, Session, SessionInput};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The service's shared state (cheap to clone).
#[derive(Clone)]
pub struct Api {
    /// The engine on the service's state root.
    pub engine: Engine,
    /// Registry settings for pulls.
    pub registries: RegistryOptions,
    /// The network of a build's RUN steps when the client asks for `default`.
    pub default_network: String,
    /// Exit codes of containers this service started or attached to.
    pub exits: Exits,
    /// Attach clients of containers not running yet: handed the session when the
    /// container is started (`docker run` attaches before it starts).
    pub pending: Arc<Mutex<HashMap<String, oneshot::Sender<Session>>>>,
    /// Inputs of live attach and exec sessions (by container or exec id), for `resize`.
    pub inputs: Arc<Mutex<HashMap<String, SessionInput>>>,
    /// Exec instances made by `POST /containers/{id}/exec`.
    pub execs: Arc<Mutex<HashMap<String, ExecEntry>>>,
    /// Open connections, hijacked ones included: the idle timer of `--time`.
    pub activity: Arc<Activity>,
    /// `--time`: the idle time after which the service exits (zero: never).
    pub idle: Duration,
}

/// Open connections (HTTP ones and hijacked attach/exec streams, which outlive their HTTP
/// connection) and when the last one closed.
#[derive(Debug)]
pub struct Activity {
    open: AtomicUsize,
    last: Mutex<Instant>,
}

impl Default for Activity {
    fn default() -> Self {
        Activity {
            open: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        }
    }
}

impl Activity {
    /// A connection or stream opened.
    pub fn opened(&self) {
        self.open.fetch_add(1, Ordering::SeqCst);
    }
    /// A connection or stream closed.
    pub fn closed(&self) {
        if let Ok(mut l) = self.last.lock() {
            *l = Instant::now();
        }
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
    /// How long nothing has been open; `None` while something is.
    pub fn idle_for(&self) -> Option<Duration> {
        if self.open.load(Ordering::SeqCst) > 0 {
            return None;
        }
        self.last.lock().ok().map(|t| t.elapsed())
    }
}

/// An exec instance: what to run where, and what became of it.
#[derive(Debug, Clone)]
pub struct ExecEntry {
    /// The container's full id.
    pub container: String,
    /// The process to start.
    pub request: ExecRequest,
    /// Whether it was started and has not ended.
    pub running: bool,
    /// Its exit code once it ended.
    pub exit_code: Option<i32>,
}

impl Api {
    /// A new state over `engine`.
    pub fn new(engine: Engine, registries: RegistryOptions) -> Api {
        Api {
            engine,
            registries,
            default_network: crate::engine::DEFAULT_NETWORK.to_string(),
            exits: Exits::default(),
            pending: Arc::default(),
            inputs: Arc::default(),
            execs: Arc::default(),
            activity: Arc::default(),
            idle: Duration::ZERO,
        }
    }

    /// Runs an engine call on a blocking thread.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> crate::engine::Result<T> + Send + 'static,
    {
        let engine = self.engine.clone();
        Ok(tokio::task::spawn_blocking(move || f(&engine)).await??)
    }
}
