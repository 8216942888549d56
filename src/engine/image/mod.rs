//! Images: the content store, the image index, import, layer unpacking, history, save and load.
//!
//! Layout: `blobs/sha256/<hex>` (manifests, configs, layer tars), `layers/<chain-id>/diff`
//! (unpacked layers shared between images), `images/index.json` (references and images).
//! The image id is `sha256:` + the digest of its config blob.

pub mod blobs;
pub mod changes;
pub mod commit;
pub mod document;
pub mod error;
pub mod history;
pub mod import;
pub mod index;
pub mod inspect;
pub mod layers;
pub mod links;
pub mod load;
pub mod manifest;
pub mod reference;
pub mod remove;
pub mod save;
pub mod unpack;
#[cfg(test)]
mod unpack_props;

use crate::engine::error::{EngineError, Result};
use crate::engine::{Engine, ImageId};
use blobs::Blobs;
use chrono::{DateTime, Utc};
pub use error::ImageError;
use index::{ImageRecord, Index};
use reference::Reference;
use std::path::PathBuf;

/// A local image, resolved from a reference or an id.
#[derive(Debug, Clone)]
pub struct Image {
    /// `sha256:<hex>` of the config blob.
    pub id: ImageId,
    /// `sha256:<hex>` of the manifest blob.
    pub manifest_digest: String,
    /// The `name:tag` references pointing at it.
    pub repo_tags: Vec<String>,
    /// `name@sha256:...` registry digests.
    pub repo_digests: Vec<String>,
    /// The OCI image configuration.
    pub config: oci_spec::image::ImageConfiguration,
    /// Chain ids (hex, no prefix) of its layers, bottom first; each is `layers/<id>/diff`.
    pub layers: Vec<String>,
    /// Unpacked size of each layer, bottom first.
    pub layer_sizes: Vec<u64>,
    /// Total unpacked size in bytes.
    pub size: u64,
    /// When the image was created (from its config), else when it was added here.
    pub created: DateTime<Utc>,
}

impl Image {
    /// The 12-hex short id Docker shows.
    pub fn short_id(&self) -> &str {
        self.id.short()
    }
}

impl Engine {
    /// The content store.
    pub fn blobs(&self) -> Blobs {
        Blobs::new(self.paths())
    }

    /// Resolves a reference (`name`, `name:tag`), a full or short image id.
    pub fn image(&self, name: &str) -> Result<Image> {
        let index = Index::load(self.paths())?;
        let id = resolve(&index, name)?;
        self.image_from(&index, &id)
    }

    /// Every local image, newest first.
    pub fn images(&self) -> Result<Vec<Image>> {
        let index = Index::load(self.paths())?;
        let mut out = Vec::new();
        for id in index.images.keys() {
            out.push(self.image_from(&index, id)?);
        }
        out.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// The unpacked directory of a layer, by chain id.
    pub fn layer_dir(&self, chain_id: &str) -> PathBuf {
        self.paths().layers().join(chain_id).join("diff")
    }

    /// Builds the `Image` of id `id` from the index and its config blob.
    pub(crate) fn image_from(&self, index: &Index, id: &str) -> Result<Image> {
        let rec: &ImageRecord = index
            .images
            .get(id)
            .ok_or_else(|| EngineError::NoSuchImage(id.to_string()))?;
        let raw = self.blobs().read(id)?;
        let config: oci_spec::image::ImageConfiguration =
            serde_json::from_slice(&raw).map_err(|source| ImageError::BadConfig {
                id: id.to_string(),
                source,
            })?;
        let layer_sizes: Vec<u64> = rec
            .layers
            .iter()
            .map(|c| layers::layer_size(self.paths(), c))
            .collect();
        let created = config
            .created()
            .as_deref()
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(rec.added);
        Ok(Image {
            id: ImageId::from_trusted(id),
            manifest_digest: rec.manifest.clone(),
            repo_tags: index.tags_of(id),
            repo_digests: rec.repo_digests.clone(),
            config,
            layers: rec.layers.clone(),
            size: layer_sizes.iter().sum(),
            layer_sizes,
            created,
        })
    }
}

/// Finds the image id `name` designates: a reference (`name[:tag]`, or `name@digest` among
/// the images' repo digests), then a full or short id.
pub(crate) fn resolve(index: &Index, name: &str) -> Result<String> {
    if name.contains('@') {
        let r = reference::RemoteReference::parse(name)?;
        let pinned = r.digest.as_deref().map(|d| r.with_digest(d));
        return index
            .images
            .iter()
            .find(|(_, rec)| {
                pinned
                    .as_ref()
                    .is_some_and(|p| rec.repo_digests.contains(p))
            })
            .map(|(id, _)| id.clone())
            .ok_or_else(|| EngineError::NoSuchImage(name.to_string()));
    }
    if let Ok(r) = Reference::parse(name)
        && let Some(m) = index.references.get(&r.to_string())
        && let Some(id) = index.id_of_manifest(m)
    {
        return Ok(id.to_string());
    }
    let hex = name.strip_prefix("sha256:").unwrap_or(name);
    let is_hex = !hex.is_empty()
        && hex.len() <= 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if is_hex {
        let mut matches = index
            .images
            .keys()
            .filter(|id| id.trim_start_matches("sha256:").starts_with(hex));
        match (matches.next(), matches.next()) {
            (Some(id), None) => return Ok(id.clone()),
            (Some(_), Some(_)) => return Err(EngineError::Ambiguous(name.to_string())),
            _ => {}
        }
    }
    Err(EngineError::NoSuchImage(name.to_string()))
}
