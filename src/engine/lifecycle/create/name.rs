//! The name of a new container: the user's, checked and free, or a random free one.

use crate::engine::error::{EngineError, Result};
use crate::engine::store::FileLock;
use crate::engine::{Engine, ids};
use std::collections::HashMap;

/// Lock file serialising name checks between concurrent creates and renames.
pub const NAMES_LOCK: &str = ".names.lock";

impl Engine {
    /// Takes the lock on container names: held from the check of a name until the record
    /// that holds it is written (or renamed), so two containers never get one name.
    pub(crate) fn names_lock(&self) -> Result<FileLock> {
        let path = self.paths().containers().join(NAMES_LOCK);
        FileLock::exclusive(&path).map_err(Into::into)
    }

    /// The name for a new container; the caller holds [`Engine::names_lock`].
    pub(super) fn choose_name(&self, wanted: Option<&str>) -> Result<String> {
        // Every record is read once, for both a random name and a name in use.
        let taken: HashMap<String, String> = self
            .containers()?
            .into_iter()
            .map(|c| {
                let short = c.config.short_id().to_string();
                (c.config.name, short)
            })
            .collect();
        let Some(n) = wanted else {
            return Ok(loop {
                let n = ids::random_name();
                if !taken.contains_key(&n) {
                    break n;
                }
            });
        };
        let n = n.strip_prefix('/').unwrap_or(n);
        if !ids::valid_name(n) {
            return Err(EngineError::Invalid(format!(
                "invalid container name '{n}': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
        if let Some(other) = taken.get(n) {
            return Err(EngineError::NameInUse {
                name: n.to_string(),
                id: other.clone(),
            });
        }
        Ok(n.to_string())
    }
}
