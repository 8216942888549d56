//! `create`: records a new container from an image and the user's options.

use crate::engine::Engine;
use crate::engine::container::{Container, MountSpec, Resources, RestartPolicy};
use crate::engine::error::{EngineError, Result};
use std::collections::BTreeMap;

/// What the user asked for in `run`/`create`.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// Image reference or id.
    pub image: String,
    /// `--name`.
    pub name: Option<String>,
    /// Arguments after the image (replace the image's CMD).
    pub cmd: Vec<String>,
    /// `--entrypoint` (Some("") clears the image's).
    pub entrypoint: Option<String>,
    /// `-e` and `--env-file`, in order (`K=V`, or `K` to take the caller's value).
    pub env: Vec<String>,
    /// `-w`.
    pub working_dir: Option<String>,
    /// `-u`.
    pub user: Option<String>,
    /// `--hostname`.
    pub hostname: Option<String>,
    /// `-l`.
    pub labels: BTreeMap<String, String>,
    /// `-t`.
    pub tty: bool,
    /// `-i`.
    pub open_stdin: bool,
    /// `-v`, `--tmpfs`.
    pub mounts: Vec<MountSpec>,
    /// `--read-only`.
    pub read_only: bool,
    /// `--memory`, `--cpus`, `--pids-limit`.
    pub resources: Resources,
    /// `--restart`.
    pub restart: RestartPolicy,
    /// `--rm`.
    pub auto_remove: bool,
    /// `--network`.
    pub network: Option<String>,
    /// `--stop-timeout`.
    pub stop_timeout: Option<u32>,
}

impl Engine {
    /// Creates a container (status `created`); nothing runs yet.
    pub fn create_container(&self, opts: &CreateOptions) -> Result<Container> {
        let _ = opts;
        Err(EngineError::Other("create is not implemented yet".into()))
    }
}
