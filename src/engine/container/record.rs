//! Loading, finding and updating container records under `containers/<id>/`.

use super::{ContainerConfig, ContainerState, Status};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::{FileLock, Paths, read_json, write_record_exchanged};
use crate::engine::{ContainerId, Engine, procfs};
use std::path::{Path, PathBuf};

/// A container: what was asked and what it is doing.
#[derive(Debug, Clone)]
pub struct Container {
    /// The configuration recorded at create time.
    pub config: ContainerConfig,
    /// The current state.
    pub state: ContainerState,
}

impl Container {
    /// The 64-hex id.
    pub fn id(&self) -> &ContainerId {
        &self.config.id
    }
    /// The name.
    pub fn name(&self) -> &str {
        &self.config.name
    }
}

/// File names inside a container's directory.
pub mod files {
    /// The configuration record.
    pub const CONFIG: &str = "config.json";
    /// The state record.
    pub const STATE: &str = "state.json";
    /// The healthcheck's findings, written by the shim (see [`super::super::Health`]).
    pub const HEALTH: &str = "health.json";
    /// The read-write layer's directory; `start` locks it (see [`lock_start`]).
    pub const RW: &str = "rw";
    /// Present while a user-requested stop is in progress (the shim does not restart).
    pub const STOP_REQUESTED: &str = "stop-requested";
}

/// Reads a container's records from disk.
pub fn load(paths: &Paths, id: &str) -> Result<Container> {
    let dir = paths.container(id);
    let config: ContainerConfig = read_json(&dir.join(files::CONFIG))?;
    let mut state = read_state(&dir.join(files::STATE));
    if config.active_healthcheck().is_some() {
        // A run whose shim has not written its first finding yet is starting.
        state.health = read_json(&dir.join(files::HEALTH))
            .ok()
            .or_else(|| state.status.has_shim().then(super::Health::default));
    }
    Ok(Container { config, state })
}

/// Whether the shim recorded in `s` still runs. A zombie is gone: it only waits for its
/// parent (init, which may take a while on a busy host) to reap it.
fn shim_alive(s: &ContainerState) -> bool {
    procfs::is_same_process(s.shim_pid, s.shim_start) && !procfs::is_gone_or_zombie(s.shim_pid)
}

/// Records that a container's shim is gone. After a reboot (another boot id) the exit is
/// unknown: 255, as Docker records it; otherwise the container died with its shim
/// (SIGKILL, through PDEATHSIG): 137.
fn mark_dead_shim(s: &mut ContainerState) {
    let rebooted = !s.boot_id.is_empty() && s.boot_id != procfs::boot_id();
    s.status = Status::Exited;
    s.pid = 0;
    s.shim_pid = 0;
    s.finished_at = Some(chrono::Utc::now());
    if rebooted {
        s.exit_code = 255;
        s.error = "the host restarted while the container ran; container marked exited".into();
    } else {
        s.exit_code = 137;
        s.error = "the container's supervisor (shim) died; container marked exited".into();
    }
}

/// Reads a state record; a missing one is the default (`created`). The writer exchanges
/// two files' names, so a reader whose read straddles two writes could in theory see one
/// being rewritten: a record that does not parse is read once more.
fn read_state(path: &Path) -> ContainerState {
    read_json(path)
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Err(e),
            _ => read_json(path),
        })
        .unwrap_or_default()
}

/// Applies `change` to a container's state under its lock and writes it back atomically.
pub fn update_state<F>(paths: &Paths, id: &str, change: F) -> Result<ContainerState>
where
    F: FnOnce(&mut ContainerState),
{
    let _lock = lock_state(paths, id)?;
    let dir = paths.container(id);
    let path = dir.join(files::STATE);
    let mut state = read_state(&path);
    change(&mut state);
    write_record_exchanged(&path, &state)?;
    Ok(state)
}

/// Takes the lock around a container's state changes: a flock on its directory, so no
/// lock file has to be made (an inode per container start).
pub fn lock_state(paths: &Paths, id: &str) -> Result<FileLock> {
    let dir = paths.container(id);
    FileLock::directory(&dir).map_err(Into::into)
}

/// Takes the lock that serialises starts of a container: a flock on its `rw/` directory
/// (the state lock is taken inside a start, by the shim, so it must be another one).
pub fn lock_start(paths: &Paths, id: &str) -> Result<FileLock> {
    let rw = paths.container(id).join(files::RW);
    FileLock::directory(&rw).map_err(Into::into)
}

/// The log file of a container.
pub fn log_path(paths: &Paths, id: &str) -> PathBuf {
    paths.container(id).join(format!("{id}-json.log"))
}

impl Engine {
    /// Every container, newest first. Containers whose shim died are reconciled on the way.
    pub fn containers(&self) -> Result<Vec<Container>> {
        let dir = self.paths().containers();
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).at(&dir)? {
            let entry = entry.at(&dir)?;
            let id = entry.file_name().to_string_lossy().into_owned();
            if id.len() != 64 {
                continue;
            }
            // A container removed while we list it simply drops out.
            if let Ok(c) = load(self.paths(), &id) {
                out.push(self.reconcile(c));
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.config.created));
        Ok(out)
    }

    /// Finds a container and takes the lock that serialises what changes its life: start,
    /// rm, rename, network connect and disconnect (the `rw/` directory's flock, see
    /// [`lock_start`]). The container is read again under the lock, so a removal that won
    /// the race gives `no such container` rather than a half-done operation.
    pub(crate) fn lock_container(&self, name_or_id: &str) -> Result<(FileLock, Container)> {
        let gone = || EngineError::NoSuchContainer(name_or_id.to_string());
        let c = self.container(name_or_id)?;
        let lock = match lock_start(self.paths(), c.id()) {
            Ok(l) => l,
            Err(_) if !self.paths().container(c.id()).join(files::CONFIG).exists() => {
                return Err(gone());
            }
            Err(e) => return Err(e),
        };
        let c = load(self.paths(), c.id()).map_err(|_| gone())?;
        Ok((lock, self.reconcile(c)))
    }

    /// Finds a container by full id, name, or unique id prefix.
    pub fn container(&self, name_or_id: &str) -> Result<Container> {
        let key = name_or_id.strip_prefix('/').unwrap_or(name_or_id);
        if key.len() == 64 && self.paths().container(key).join(files::CONFIG).exists() {
            return load(self.paths(), key).map(|c| self.reconcile(c));
        }
        let all = self.containers()?;
        if let Some(c) = all.iter().find(|c| c.config.name == key) {
            return Ok(c.clone());
        }
        let mut matches = all
            .iter()
            .filter(|c| !key.is_empty() && c.config.id.starts_with(key));
        match (matches.next(), matches.next()) {
            (Some(c), None) => Ok(c.clone()),
            (Some(_), Some(_)) => Err(EngineError::Ambiguous(key.to_string())),
            _ => Err(EngineError::NoSuchContainer(name_or_id.to_string())),
        }
    }

    /// Marks a container whose shim is gone as exited (a killed shim, a reboot) and
    /// cleans what the shim would have cleaned. Returns the container as it now is.
    pub fn reconcile(&self, mut c: Container) -> Container {
        if !c.state.status.has_shim() {
            return c;
        }
        if shim_alive(&c.state) {
            return c;
        }
        // The shim is gone: its container died with it (PDEATHSIG), or a reboot took both.
        crate::engine::runtime::cleanup::after_shim_death(self.paths(), &c.config);
        if let Ok(state) = update_state(self.paths(), c.id(), |s| {
            if s.status.has_shim() && !shim_alive(s) {
                mark_dead_shim(s);
            }
        }) {
            c.state = state;
        }
        c
    }
}
