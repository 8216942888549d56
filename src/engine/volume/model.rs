//! The volume record (`meta.json`) and the volume name rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The label Docker (23+) puts on anonymous volumes; `volume prune` without `-a` removes
/// only volumes that carry it.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// The stored record of a volume (`volumes/<name>/meta.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VolumeMeta {
    /// The volume's name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Always `local`.
    pub driver: String,
    /// Labels given with `-l` (and the anonymous marker).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Driver options (`-o`); the local driver keeps none yet.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// A volume as the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// The stored record.
    pub meta: VolumeMeta,
    /// The directory containers mount: `<root>/volumes/<name>/_data`.
    pub mountpoint: PathBuf,
}

impl Volume {
    /// The volume's name.
    pub fn name(&self) -> &str {
        &self.meta.name
    }
    /// Whether it was created without a name for a `-v /path` mount.
    pub fn is_anonymous(&self) -> bool {
        self.meta.labels.contains_key(ANONYMOUS_LABEL)
    }
    /// Docker's `volume inspect` object.
    pub fn inspect_json(&self) -> serde_json::Value {
        let map_or_null = |m: &BTreeMap<String, String>| {
            if m.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::json!(m)
            }
        };
        serde_json::json!({
            "CreatedAt": self.meta.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "Driver": self.meta.driver,
            "Labels": map_or_null(&self.meta.labels),
            "Mountpoint": self.mountpoint.to_string_lossy(),
            "Name": self.meta.name,
            "Options": map_or_null(&self.meta.options),
            "Scope": "local",
        })
    }
}

/// Docker's rule for volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn valid_volume_name(name: &str) -> bool {
    crate::engine::ids::valid_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_names() {
        assert!(valid_volume_name("data"));
        assert!(valid_volume_name("my_vol-1.2"));
        assert!(!valid_volume_name("x"));
        assert!(!valid_volume_name("_data"));
        assert!(!valid_volume_name("a/b"));
        assert!(!valid_volume_name(".lock"));
        assert!(!valid_volume_name(""));
    }
}
