//! `rm` and `rename`.

use crate::engine::container::record::files;
use crate::engine::container::{ContainerConfig, MountKind};
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::lifecycle::LifecycleError;
use crate::engine::runtime::cgroups::Cgroup;
use crate::engine::store::{Paths, read_json, write_record};
use crate::engine::{Engine, ids};
use std::path::PathBuf;
use std::time::Duration;

/// Deletes a stopped container's files (and its anonymous volumes when asked): the
/// directory is first renamed away so it disappears at once, then removed.
pub fn delete_files(engine: &Engine, config: &ContainerConfig) {
    delete_files_with(engine, config, false);
}

/// A container's directory once it is no longer in the state root: renamed into `tmp/`
/// (the sweep deletes leftovers of a removal that was cut short), or already gone.
pub struct Retired(Option<PathBuf>);

/// The first half of a removal: the container disappears from the state root (renamed
/// away), its network endpoints are released and `destroy` is recorded. Everything a
/// user can see is then settled; `purge` deletes the files, which can take a while.
pub fn retire(engine: &Engine, config: &ContainerConfig) -> Retired {
    crate::engine::network::setup::remove_leftovers(engine.paths(), &config.id);
    retire_exited(engine, config)
}

/// `retire` for the shim of a container whose processes all exited: its network namespace
/// goes with them and the kernel deletes the veths in it (off the caller's path, where
/// deleting a host end here would wait for RCU grace periods), so none is looked for.
pub fn retire_exited(engine: &Engine, config: &ContainerConfig) -> Retired {
    let dir = engine.paths().container(&config.id);
    let trash = engine
        .paths()
        .tmp()
        .join(crate::engine::store::sweep::owned(&format!(
            "removing-{}",
            config.id
        )));
    let retired = if std::fs::rename(&dir, &trash).is_ok() {
        Retired(Some(trash))
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        Retired(None)
    };
    crate::engine::network::ops::release_container(engine.paths(), &config.id);
    engine.emit(EngineEvent::ContainerDestroy {
        id: &config.id,
        name: &config.name,
    });
    retired
}

/// The second half of a removal: empties the renamed directory and keeps it as a spare
/// for the next container (or deletes it), then removes any cgroup left.
pub fn purge(paths: &Paths, config: &ContainerConfig, retired: Retired) {
    if let Retired(Some(trash)) = retired {
        crate::engine::container::spares::recycle(paths, &trash, &config.id);
    }
    Cgroup::for_config(config).remove();
}

fn delete_files_with(engine: &Engine, config: &ContainerConfig, volumes: bool) {
    let retired = retire(engine, config);
    purge(engine.paths(), config, retired);
    if volumes {
        remove_anonymous_volumes(engine, config);
    }
}

/// Removes the anonymous volumes of a removed container (`rm -v`, and `run --rm` as
/// Docker does); named volumes stay, and so does a volume another container still uses.
pub fn remove_anonymous_volumes(engine: &Engine, config: &ContainerConfig) {
    for m in config.mounts.iter().filter(|m| m.kind == MountKind::Volume) {
        if engine.volume(&m.source).is_ok_and(|v| v.is_anonymous()) {
            let _ = engine.remove_volume(&m.source, false);
        }
    }
}

impl Engine {
    /// Removes a container; a running one only with `force` (killed first).
    /// With `volumes`, its anonymous volumes go too.
    pub fn remove_container(&self, name_or_id: &str, force: bool, volumes: bool) -> Result<()> {
        // Under the container's lock: a start, rename or network change of it finishes
        // first (and one waiting for the lock then finds it gone).
        let (_lock, c) = self.lock_container(name_or_id)?;
        if c.state.status.has_shim() {
            if !force {
                return Err(EngineError::Conflict(format!(
                    "cannot remove container '{}': it is {}; stop it first or use 'rm -f'",
                    c.name(),
                    c.state.status.as_str()
                )));
            }
            self.request_stop(&c);
            let cg = Cgroup::for_config(&c.config);
            cg.kill_all();
            // The cgroup may not be visible from here (e.g. under `ip netns exec`, which
            // mounts a fresh /sys): the first process is killed by pid too, and with it
            // every process of its pid namespace.
            let _ = self.signal_first_process(&c, nix::sys::signal::Signal::SIGKILL);
            // The shim records the exit and cleans up; wait for it, then make sure.
            if !self.wait_stopped(c.id(), Duration::from_secs(10)) {
                cg.kill_all();
                let _ = self.signal_first_process(&c, nix::sys::signal::Signal::SIGKILL);
                if !self.wait_stopped(c.id(), Duration::from_secs(5)) {
                    return Err(LifecycleError::RemoveStuck {
                        name: c.name().to_string(),
                    }
                    .into());
                }
            }
        }
        // --rm containers may have been removed by their shim meanwhile.
        if self.paths().container(c.id()).exists() {
            delete_files_with(self, &c.config, volumes);
        }
        Ok(())
    }

    /// Gives a container a new name.
    pub fn rename_container(&self, name_or_id: &str, new_name: &str) -> Result<()> {
        let new_name = new_name.strip_prefix('/').unwrap_or(new_name);
        if !ids::valid_name(new_name) {
            return Err(EngineError::Invalid(format!(
                "invalid container name '{new_name}': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
        let _names = self.names_lock()?;
        let (_lock, c) = self.lock_container(name_or_id)?;
        if c.config.name == new_name {
            return Err(EngineError::Invalid(format!(
                "renaming a container with the same name as its current name: '{new_name}'"
            )));
        }
        if let Some(other) = self
            .containers()?
            .into_iter()
            .find(|o| o.config.name == new_name)
        {
            return Err(EngineError::NameInUse {
                name: new_name.to_string(),
                id: other.config.short_id().to_string(),
            });
        }
        let path = self.paths().container(c.id()).join(files::CONFIG);
        let mut config: ContainerConfig = read_json(&path)?;
        let old = std::mem::replace(&mut config.name, new_name.to_string());
        write_record(&path, &config)?;
        crate::engine::network::ops::rename_endpoints(self.paths(), c.id(), new_name)?;
        self.emit(EngineEvent::ContainerRename {
            id: c.id(),
            name: new_name,
            old_name: &old,
        });
        Ok(())
    }
}
