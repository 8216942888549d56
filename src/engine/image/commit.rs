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

/// A layer of an image being stored: new, or already unpacked under `layers/` (a pull
/// skips layers it has).
pub(crate) enum LayerSource {
    /// Fetched or read now.
    New(Box<PendingLayer>),
    /// Already present; its diff id.
    Present(String),
}

impl LayerSource {
    fn diff_id(&self) -> &str {
        match self {
            LayerSource::New(l) => &l.staged.diff_id,
            LayerSource::Present(d) => d,
        }
    }
}

struct PendingParts {
    config: Vec<u8>,
    manifest: Vec<u8>,
    layers: Vec<LayerSource>,
    repo_digests: Vec<String>,
}

impl Engine {
    /// Stores `img` and points `refs` at it. Returns the image id.
    pub(crate) fn commit_image(&self, img: PendingImage, refs: &[Reference]) -> Result<String> {
        let layers = img
            .layers
            .into_iter()
            .map(|l| LayerSource::New(Box::new(l)))
            .collect();
        self.commit_layers(img.config, img.manifest, layers, img.repo_digests, refs)
    }

    /// Stores an image whose layers are new or already present; checks every diff id against
    /// the config and every new blob against its expected digest before storing anything.
    pub(crate) fn commit_layers(
        &self,
        config_bytes: Vec<u8>,
        manifest_bytes: Vec<u8>,
        layers: Vec<LayerSource>,
        repo_digests: Vec<String>,
        refs: &[Reference],
    ) -> Result<String> {
        let img = PendingParts {
            config: config_bytes,
            manifest: manifest_bytes,
            layers,
            repo_digests,
        };
        let config = super::document::parse_config(&img.config, "the image")?;
        let diff_ids = config.rootfs().diff_ids().clone();
        if diff_ids.len() != img.layers.len() {
            return Err(EngineError::Invalid(format!(
                "image config lists {} layers but {} were supplied",
                diff_ids.len(),
                img.layers.len()
            )));
        }
        for (want, l) in diff_ids.iter().zip(&img.layers) {
            if want != l.diff_id() {
                return Err(EngineError::Invalid(format!(
                    "layer digest mismatch: config expects '{want}', content has '{}'",
                    l.diff_id()
                )));
            }
            if let LayerSource::New(l) = l
                && let Some(exp) = &l.expected
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
        for (l, chain) in img.layers.iter().zip(&chains) {
            if let LayerSource::Present(_) = l
                && !self.layer_dir(chain).is_dir()
            {
                return Err(EngineError::Conflict(format!(
                    "layer '{chain}' was removed while the image was being stored: try again"
                )));
            }
        }
        for (l, chain) in img.layers.into_iter().zip(&chains) {
            if let LayerSource::New(l) = l {
                l.blob.commit(l.expected.as_deref())?;
                l.staged.commit(self.paths(), chain)?;
            }
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

impl Engine {
    /// Adds `name@digest` to the RepoDigests of image `id` (after a push).
    pub(crate) fn add_repo_digest(&self, id: &str, repo_digest: &str) -> Result<()> {
        let _lock = Index::lock(self.paths())?;
        let mut index = Index::load(self.paths())?;
        let Some(rec) = index.images.get_mut(id) else {
            return Err(EngineError::NoSuchImage(id.to_string()));
        };
        if !rec.repo_digests.iter().any(|d| d == repo_digest) {
            rec.repo_digests.push(repo_digest.to_string());
            index.save(self.paths())?;
        }
        Ok(())
    }
}
