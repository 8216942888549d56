//! The image index, `images/index.json`: references (`name:tag`) to manifest digests, and
//! every local image (tagged or dangling) by id with what berth needs to find its parts.

use crate::engine::error::Result;
use crate::engine::store::{FileLock, Paths, read_json, write_json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One local image.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageRecord {
    /// `sha256:` digest of its manifest.
    pub manifest: String,
    /// Chain ids of its layers, bottom first.
    pub layers: Vec<String>,
    /// `name@sha256:...` digests it is known by in registries.
    #[serde(default)]
    pub repo_digests: Vec<String>,
    /// When it was added to this store.
    pub added: DateTime<Utc>,
}

/// The whole index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Index {
    /// `name:tag` -> manifest digest.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// Image id (`sha256:<config digest>`) -> record.
    #[serde(default)]
    pub images: BTreeMap<String, ImageRecord>,
}

impl Index {
    /// Reads the index (empty if missing).
    pub fn load(paths: &Paths) -> Result<Index> {
        let p = paths.images().join("index.json");
        if !p.exists() {
            return Ok(Index::default());
        }
        read_json(&p).map_err(Into::into)
    }
    /// Writes the index atomically. Hold `lock` while reading, changing and saving.
    pub fn save(&self, paths: &Paths) -> Result<()> {
        let p = paths.images().join("index.json");
        write_json(&p, self).map_err(Into::into)
    }
    /// Takes the lock serialising every change to images, blobs and layers.
    pub fn lock(paths: &Paths) -> Result<FileLock> {
        let p = paths.images().join("index.lock");
        FileLock::exclusive(&p).map_err(Into::into)
    }
    /// The id of the image a manifest digest belongs to.
    pub fn id_of_manifest(&self, manifest: &str) -> Option<&str> {
        self.images
            .iter()
            .find(|(_, r)| r.manifest == manifest)
            .map(|(id, _)| id.as_str())
    }
    /// The references pointing at image `id`, sorted.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        let Some(rec) = self.images.get(id) else {
            return Vec::new();
        };
        self.references
            .iter()
            .filter(|(_, m)| **m == rec.manifest)
            .map(|(r, _)| r.clone())
            .collect()
    }
}
