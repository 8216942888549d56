//! Images: the content store, the image index, import, layer unpacking, history, save and load.

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use std::path::PathBuf;

/// A local image, resolved from a reference or an id.
#[derive(Debug, Clone)]
pub struct Image {
    /// `sha256:<hex>` of the config blob.
    pub id: String,
    /// `sha256:<hex>` of the manifest blob.
    pub manifest_digest: String,
    /// The `name:tag` references pointing at it.
    pub repo_tags: Vec<String>,
    /// The OCI image configuration.
    pub config: oci_spec::image::ImageConfiguration,
    /// Chain ids (hex, no prefix) of its layers, bottom first; each is `layers/<id>/diff`.
    pub layers: Vec<String>,
    /// Total unpacked size in bytes.
    pub size: u64,
}

impl Engine {
    /// Resolves a reference (`name`, `name:tag`), a full or short image id.
    pub fn image(&self, name: &str) -> Result<Image> {
        Err(EngineError::NoSuchImage(name.to_string()))
    }
    /// The unpacked directory of a layer, by chain id.
    pub fn layer_dir(&self, chain_id: &str) -> PathBuf {
        self.paths().layers().join(chain_id).join("diff")
    }
}
