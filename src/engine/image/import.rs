//! `import`: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer image,
//! with Docker's `--change` and history semantics.

use super::ImageError;
use super::blobs::TeeReader;
use super::changes;
use super::commit::{PendingImage, PendingLayer};
use super::layers::{StagedLayer, decompress};
use super::manifest::{LayerDescriptor, oci_manifest};
use super::reference::Reference;
use crate::engine::error::{EngineError, Result};
use crate::engine::{Engine, ImageId};
use oci_spec::image::{Config, ImageConfiguration};
use std::io::{self, Read};

/// Options of `import` beyond the tarball.
#[derive(Debug, Default, Clone)]
pub struct ImportOptions {
    /// Reference for the new image (`name[:tag]`).
    pub reference: Option<String>,
    /// Dockerfile instructions to apply to the config (`-c`).
    pub changes: Vec<String>,
    /// History comment (`-m`); Docker's default is `Imported from -`.
    pub message: Option<String>,
}

/// Go's name for this machine's architecture, as image configs spell it.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        "powerpc64" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        other => other,
    }
}

impl Engine {
    /// Imports a filesystem tarball as an image; returns its id (`sha256:...`).
    pub fn import_image(
        &self,
        source: &mut dyn Read,
        reference: Option<&str>,
        changes: &[String],
    ) -> Result<ImageId> {
        self.import_image_with(
            source,
            &ImportOptions {
                reference: reference.map(str::to_string),
                changes: changes.to_vec(),
                message: None,
            },
        )
    }

    /// `import_image` with every option.
    pub fn import_image_with(
        &self,
        source: &mut dyn Read,
        opts: &ImportOptions,
    ) -> Result<ImageId> {
        let refs = match &opts.reference {
            Some(r) => vec![Reference::parse(r)?],
            None => Vec::new(),
        };
        let mut cfg = Config::default();
        changes::apply(&mut cfg, &opts.changes)?;

        // One pass: decompress, store the plain tar as the layer blob, unpack it.
        let mut blob = self.blobs().writer()?;
        let mut staged = {
            let plain = decompress(source)?;
            let mut tee = TeeReader::new(plain, &mut blob);
            let staged = StagedLayer::unpack(self.paths(), &mut tee)?;
            io::copy(&mut tee, &mut io::sink())
                .map_err(|e| EngineError::Invalid(format!("cannot read tarball: {e}")))?;
            staged
        };
        // The blob is the plain tar, so its digest is the diff id.
        staged.diff_id = blob.digest();
        let layer_size = blob.size();

        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let comment = opts
            .message
            .clone()
            .unwrap_or_else(|| "Imported from -".to_string());
        let config = serde_json::json!({
            "architecture": go_arch(),
            "os": "linux",
            "created": now,
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": [staged.diff_id]},
            "history": [{"created": now, "comment": comment}],
        });
        // Round-trip through the OCI type so the stored config is one it accepts.
        let config: ImageConfiguration =
            serde_json::from_value(config).map_err(|source| ImageError::Encode {
                what: "config",
                source,
            })?;
        let config_bytes = serde_json::to_vec(&config).map_err(|source| ImageError::Encode {
            what: "config",
            source,
        })?;
        let manifest_bytes = oci_manifest(
            &config_bytes,
            &[LayerDescriptor {
                media_type: "application/vnd.oci.image.layer.v1.tar".into(),
                digest: staged.diff_id.clone(),
                size: layer_size,
            }],
        );
        self.commit_image(
            PendingImage {
                config: config_bytes,
                manifest: manifest_bytes,
                layers: vec![PendingLayer {
                    blob,
                    expected: None,
                    staged,
                }],
                repo_digests: Vec::new(),
            },
            &refs,
        )
        .map(ImageId::from_trusted)
    }
}
