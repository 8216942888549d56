//! The image being built: its config (kept as JSON, so Docker's fields that OCI lacks —
//! `Shell`, `Healthcheck`, `OnBuild` — survive) and its layers. A step maps one state to
//! the next; the cache stores states; the last one becomes the image.

use crate::engine::Engine;
use crate::engine::error::Result;
use crate::engine::image::Image;
use crate::engine::image::ImageError;
use crate::engine::image::blobs::digest_of;
use crate::engine::image::import::go_arch;
use crate::engine::image::layers::chain_ids;
use crate::engine::image::manifest::{LayerDescriptor, oci_manifest};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The media type of the (uncompressed) layers the builder makes.
pub const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";

/// One layer of the image: its blob as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRef {
    /// `sha256:` of the uncompressed tar.
    pub diff_id: String,
    /// `sha256:` of the blob.
    pub digest: String,
    /// Blob size in bytes.
    pub size: u64,
    /// The blob's media type.
    pub media_type: String,
}

/// An image configuration and its layers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageState {
    /// The whole image config (`architecture`, `os`, `config`, `rootfs`, `history`).
    pub config: Value,
    /// Layers, bottom first.
    pub layers: Vec<LayerRef>,
}

impl ImageState {
    /// The empty image of `FROM scratch`.
    pub fn scratch() -> ImageState {
        ImageState {
            config: json!({
                "architecture": go_arch(),
                "os": "linux",
                "config": {},
                "rootfs": {"type": "layers", "diff_ids": []},
                "history": [],
            }),
            layers: Vec::new(),
        }
    }

    /// The state of a local image: its config blob and its manifest's layers.
    pub fn of_image(engine: &Engine, img: &Image) -> Result<ImageState> {
        let blobs = engine.blobs();
        let config: Value = serde_json::from_slice(&blobs.read(&img.id)?).map_err(|source| {
            ImageError::BadConfig {
                id: img.id.to_string(),
                source,
            }
        })?;
        let manifest: Value =
            serde_json::from_slice(&blobs.read(&img.manifest_digest)?).map_err(|source| {
                ImageError::BadManifest {
                    id: img.id.to_string(),
                    source,
                }
            })?;
        let diff_ids: Vec<String> = config["rootfs"]["diff_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        let listed = manifest["layers"].as_array().cloned().unwrap_or_default();
        if listed.len() != diff_ids.len() {
            return Err(ImageError::LayersMismatch {
                id: img.id.to_string(),
            }
            .into());
        }
        let layers = diff_ids
            .into_iter()
            .zip(listed)
            .map(|(diff_id, l)| LayerRef {
                diff_id,
                digest: l["digest"].as_str().unwrap_or_default().to_string(),
                size: l["size"].as_u64().unwrap_or(0),
                media_type: l["mediaType"].as_str().unwrap_or(LAYER_TAR).to_string(),
            })
            .collect();
        let mut s = ImageState { config, layers };
        s.cfg_mut().remove("OnBuild");
        Ok(s)
    }

    /// The config bytes as stored (their digest is the image id).
    pub fn config_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.config).unwrap_or_default()
    }

    /// The image id this state would have.
    pub fn id(&self) -> String {
        digest_of(&self.config_bytes())
    }

    /// Chain ids of the layers (their directories under `layers/`).
    pub fn chains(&self) -> Vec<String> {
        let d: Vec<String> = self.layers.iter().map(|l| l.diff_id.clone()).collect();
        chain_ids(&d)
    }

    /// The container config part (`config`), created if missing.
    pub fn cfg_mut(&mut self) -> &mut Map<String, Value> {
        let v = &mut self.config["config"];
        if !v.is_object() {
            *v = Value::Object(Map::new());
        }
        match v {
            Value::Object(m) => m,
            _ => unreachable!("made an object just above"),
        }
    }

    /// A field of the container config.
    pub fn cfg(&self, key: &str) -> &Value {
        &self.config["config"][key]
    }

    /// `Env` as `K=V` strings.
    pub fn env(&self) -> Vec<String> {
        strings(self.cfg("Env"))
    }

    /// Sets `key=value` in `Env` (replacing an earlier value).
    pub fn set_env(&mut self, key: &str, value: &str) {
        let mut env = self.env();
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(format!("{key}={value}"));
        self.cfg_mut().insert("Env".into(), json!(env));
    }

    /// The RUN shell (`SHELL`), `/bin/sh -c` by default.
    pub fn shell(&self) -> Vec<String> {
        let s = strings(self.cfg("Shell"));
        if s.is_empty() {
            vec!["/bin/sh".into(), "-c".into()]
        } else {
            s
        }
    }

    /// Appends a history entry, with `created` set to now and `source` (`Dockerfile:12`,
    /// where the step was when it was built; a cache hit keeps the entry it had) as its
    /// comment.
    pub fn add_history(&mut self, created_by: &str, empty_layer: bool, source: &str) {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let mut h = json!({"created": now, "created_by": created_by});
        if !source.is_empty() {
            h["comment"] = json!(source);
        }
        if empty_layer {
            h["empty_layer"] = json!(true);
        }
        if !self.config["history"].is_array() {
            self.config["history"] = json!([]);
        }
        if let Some(a) = self.config["history"].as_array_mut() {
            a.push(h);
        }
        self.config["created"] = json!(now);
    }

    /// Adds a layer on top (and its diff id to the config).
    pub fn push_layer(&mut self, layer: LayerRef) {
        if !self.config["rootfs"]["diff_ids"].is_array() {
            self.config["rootfs"] = json!({"type": "layers", "diff_ids": []});
        }
        if let Some(a) = self.config["rootfs"]["diff_ids"].as_array_mut() {
            a.push(json!(layer.diff_id));
        }
        self.layers.push(layer);
    }

    /// The OCI manifest of this state.
    pub fn manifest(&self) -> Vec<u8> {
        let layers: Vec<LayerDescriptor> = self
            .layers
            .iter()
            .map(|l| LayerDescriptor {
                media_type: l.media_type.clone(),
                digest: l.digest.clone(),
                size: l.size,
            })
            .collect();
        oci_manifest(&self.config_bytes(), &layers)
    }
}

/// A JSON array of strings as a Vec (anything else: empty).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_history_and_layers_update_the_config() {
        let mut s = ImageState::scratch();
        let id0 = s.id();
        s.set_env("A", "1");
        s.set_env("A", "2");
        assert_eq!(s.env(), vec!["A=2"]);
        s.add_history("/bin/sh -c #(nop)  ENV A=2", true, "Dockerfile:3");
        s.push_layer(LayerRef {
            diff_id: format!("sha256:{}", "a".repeat(64)),
            digest: format!("sha256:{}", "a".repeat(64)),
            size: 1024,
            media_type: LAYER_TAR.into(),
        });
        assert_ne!(s.id(), id0);
        assert_eq!(s.chains(), vec!["a".repeat(64)]);
        assert_eq!(s.config["history"][0]["empty_layer"], json!(true));
        assert_eq!(s.config["history"][0]["comment"], json!("Dockerfile:3"));
        assert_eq!(s.shell(), vec!["/bin/sh", "-c"]);
        let m: Value = serde_json::from_slice(&s.manifest()).expect("manifest");
        assert_eq!(m["layers"][0]["size"], json!(1024));
    }
}
