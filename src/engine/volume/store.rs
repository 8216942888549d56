//! Creating, finding and removing volumes under `volumes/`.

use super::error::VolumeError;
use super::model::{ANONYMOUS_LABEL, Volume, VolumeMeta, valid_volume_name};
use crate::engine::container::MountKind;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::{FileLock, read_json, write_json};
use crate::engine::{ContainerId, Engine};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The record file inside `volumes/<name>/`.
const META: &str = "meta.json";
/// The data directory inside `volumes/<name>/`.
const DATA: &str = "_data";
/// The lock taken around creating and removing volumes.
const LOCK: &str = ".lock";

impl Engine {
    /// Creates a volume (a random 64-hex name when `name` is `None`) and returns it.
    /// Creating a name that exists returns the existing volume, as Docker does.
    pub fn create_volume(
        &self,
        name: Option<&str>,
        labels: BTreeMap<String, String>,
    ) -> Result<Volume> {
        let name = match name {
            Some(n) => n.to_string(),
            None => crate::engine::ids::random_id(),
        };
        if !valid_volume_name(&name) {
            return Err(VolumeError::InvalidName(name).into());
        }
        let _lock = self.volumes_lock()?;
        self.create_volume_locked(name, labels).map(|(v, _)| v)
    }

    /// `create_volume` with the volumes lock held; also says whether the volume is new.
    fn create_volume_locked(
        &self,
        name: String,
        labels: BTreeMap<String, String>,
    ) -> Result<(Volume, bool)> {
        if let Ok(v) = self.volume(&name) {
            return Ok((v, false));
        }
        let dir = self.paths().volumes().join(&name);
        let data = dir.join(DATA);
        std::fs::create_dir_all(&data).at(&data)?;
        let meta = VolumeMeta {
            name: name.clone(),
            created_at: chrono::Utc::now(),
            driver: "local".into(),
            labels,
            options: BTreeMap::new(),
        };
        // The record is written last: a volume without one does not exist yet.
        let path = dir.join(META);
        if let Err(e) = write_json(&path, &meta) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e.into());
        }
        tracing::debug!(volume = %name, "created volume");
        Ok((
            Volume {
                meta,
                mountpoint: data,
            },
            true,
        ))
    }

    /// Creates an anonymous volume (random name, Docker's anonymous label).
    pub fn create_anonymous_volume(&self) -> Result<Volume> {
        let labels = BTreeMap::from([(ANONYMOUS_LABEL.to_string(), String::new())]);
        self.create_volume(None, labels)
    }

    /// Every volume, sorted by name.
    pub fn volumes(&self) -> Result<Vec<Volume>> {
        let dir = self.paths().volumes();
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).at(&dir)? {
            let name = entry.at(&dir)?.file_name().to_string_lossy().into_owned();
            if !valid_volume_name(&name) {
                continue;
            }
            // A volume removed while we list it, or half-created, simply drops out.
            if let Ok(v) = self.volume(&name) {
                out.push(v);
            }
        }
        out.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
        Ok(out)
    }

    /// The volume called `name`.
    pub fn volume(&self, name: &str) -> Result<Volume> {
        if !valid_volume_name(name) {
            return Err(EngineError::NoSuchVolume(name.to_string()));
        }
        let dir = self.paths().volumes().join(name);
        let meta: VolumeMeta = match read_json(&dir.join(META)) {
            Ok(m) => m,
            Err(e) if e.is_not_found() => {
                return Err(EngineError::NoSuchVolume(name.to_string()));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Volume {
            meta,
            mountpoint: dir.join(DATA),
        })
    }

    /// Ids of the containers (any state) whose mounts use the volume `name`.
    pub fn volume_users(&self, name: &str) -> Result<Vec<ContainerId>> {
        Ok(self
            .containers()?
            .into_iter()
            .filter(|c| {
                c.config
                    .mounts
                    .iter()
                    .any(|m| m.kind == MountKind::Volume && m.source == name)
            })
            .map(|c| c.config.id)
            .collect())
    }

    /// Removes a volume that no container uses. With `force`, a missing volume is not an
    /// error (a volume in use is still refused, as in Docker).
    pub fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        let _lock = self.volumes_lock()?;
        self.remove_volume_locked(name, force).map(|_| ())
    }

    /// Removes a volume while the volumes lock is held; returns the bytes it used.
    pub(super) fn remove_volume_locked(&self, name: &str, force: bool) -> Result<u64> {
        if let Err(e) = self.volume(name) {
            return match e {
                EngineError::NoSuchVolume(_) if force => Ok(0),
                e => Err(e),
            };
        }
        let users = self.volume_users(name)?;
        if let Some(first) = users.first() {
            return Err(VolumeError::InUse {
                name: name.to_string(),
                container: first.short().to_string(),
            }
            .into());
        }
        let dir = self.paths().volumes().join(name);
        let size = super::size::dir_size(&dir.join(DATA));
        // Move it out of `volumes/` first so it disappears at once, then delete the data.
        let trash = self
            .paths()
            .tmp()
            .join(format!("volume-{}", crate::engine::ids::random_id()));
        std::fs::rename(&dir, &trash).at(&dir)?;
        std::fs::remove_dir_all(&trash).at(&trash)?;
        tracing::debug!(volume = %name, "removed volume");
        Ok(size)
    }

    /// The data directory to mount for `-v name:/path`, creating the volume if it does not
    /// exist (as `docker run` does). An empty `name` creates an anonymous volume; its name
    /// is the parent directory's name of the returned path.
    pub fn volume_for_mount(&self, name: &str) -> Result<PathBuf> {
        let _lock = self.volumes_lock()?;
        self.volume_for_mount_locked(name).map(|(_, data, _)| data)
    }

    /// The volume to mount for `-v name:/path`, created if it does not exist (as `docker run`
    /// does; an empty `name` makes an anonymous volume), with the volumes lock held (see
    /// `volumes_lock`): its name, its data directory and whether this call made it.
    pub(crate) fn volume_for_mount_locked(&self, name: &str) -> Result<(String, PathBuf, bool)> {
        let (v, new) = if name.is_empty() {
            let labels = BTreeMap::from([(ANONYMOUS_LABEL.to_string(), String::new())]);
            self.create_volume_locked(crate::engine::ids::random_id(), labels)?
        } else {
            if !valid_volume_name(name) {
                return Err(invalid_name(name));
            }
            self.create_volume_locked(name.to_string(), BTreeMap::new())?
        };
        Ok((v.meta.name, v.mountpoint, new))
    }

    /// Takes the lock serialising volume creation and removal.
    pub(crate) fn volumes_lock(&self) -> Result<FileLock> {
        let path = self.paths().volumes().join(LOCK);
        FileLock::exclusive(&path).map_err(Into::into)
    }
}

fn invalid_name(name: &str) -> EngineError {
    EngineError::Invalid(format!(
        "invalid volume name '{name}': use 2 or more of [a-zA-Z0-9_.-] starting with a letter or digit (for a host directory, give an absolute path)"
    ))
}
