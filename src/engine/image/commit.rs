//! Storing a complete image: blobs, layer directories and index entries, all under the
//! index lock, and only once every part has been unpacked and verified in staging.

use super::blobs::BlobWriter;
use super::index::{ImageRecord, Index};
use super::layers::{StagedLayer, chain_ids};
use super::reference::Reference;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};

/// A layer ready to be stored: its blob (still in `tmp/`) and its unpacked directory.
pub(crate) struct PendingLayer {
    /// The layer blob as it will be stored (compressed or not).
    pub blob: BlobWriter,
    /// The digest the manifest promises for the blob, if any.
    pub expected: Option<String>,
    /// The unpacked layer.
    pub staged: StagedLayer,
}

/// An image ready to be stored.
pub(crate) struct PendingImage {
    /// The config blob, byte for byte (its digest is the image id).
    pub config: Vec<u8>,
    /// The manifest blob.
    pub manifest: Vec<u8>,
    /// Layers, bottom first, matching the config's diff ids.
    pub layers: Vec<PendingLayer>,
    /// Registry digests.
    pub repo_digests: Vec<String>,
}

impl Engine {
    /// Stores `img` and points `refs` at it. Returns the image id.
    pub(crate) fn commit_image(&self, img: PendingImage, refs: &[Reference]) -> Result<String> {
        let config: oci_spec::image::ImageConfiguration = serde_json::from_slice(&img.config)
            .map_err(|e| EngineError::Invalid(format!("invalid image config: {e}")))?;
        let diff_ids = config.rootfs().diff_ids().clone();
        if diff_ids.len() != img.layers.len() {
            return Err(EngineError::Invalid(format!(
                "image config lists {} layers but {} were supplied",
                diff_ids.len(),
                img.layers.len()
            )));
        }
        for (want, l) in diff_ids.iter().zip(&img.layers) {
            if *want != l.staged.diff_id {
                return Err(EngineError::Invalid(format!(
                    "layer digest mismatch: config expects '{want}', content has '{}'",
                    l.staged.diff_id
                )));
            }
            if let Some(exp) = &l.expected
                && *exp != l.blob.digest()
            {
                return Err(EngineError::Invalid(format!(
                    "blob digest mismatch: manifest expects '{exp}', content has '{}'",
                    l.blob.digest()
                )));
            }
        }
        let chains = chain_ids(&diff_ids);
        let _lock = Index::lock(self.paths())?;
        let blobs = self.blobs();
        for (l, chain) in img.layers.into_iter().zip(&chains) {
            l.blob.commit(l.expected.as_deref())?;
            l.staged.commit(self.paths(), chain)?;
        }
        let id = blobs.put(&img.config)?;
        let manifest = blobs.put(&img.manifest)?;
        let mut index = Index::load(self.paths())?;
        let rec = index
            .images
            .entry(id.clone())
            .or_insert_with(|| ImageRecord {
                manifest,
                layers: chains,
                repo_digests: Vec::new(),
                added: chrono::Utc::now(),
            });
        for d in img.repo_digests {
            if !rec.repo_digests.contains(&d) {
                rec.repo_digests.push(d);
            }
        }
        let manifest = rec.manifest.clone();
        for r in refs {
            index.references.insert(r.to_string(), manifest.clone());
        }
        index.save(self.paths())?;
        Ok(id)
    }
}
