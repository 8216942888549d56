//! Checks on the JSON documents that describe an image (manifests, indexes, configs), from a
//! registry or an archive, made before anything they list is fetched or stored: a size
//! limit, no ambiguous document (the CVE-2021-41190 class: both `layers` and `manifests`
//! with no `mediaType` saying which it is), no artifact taken for an image, no more layers
//! than berth can mount, and config fields of the wrong type named.

use super::links::MAX_LAYERS;
use super::manifest::{OCI_CONFIG, OCI_MANIFEST};
use crate::engine::error::EngineError;
use serde_json::Value;

/// The largest manifest or index accepted (Docker's and containerd's limit).
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;
/// An OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker's manifest list.
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Docker's image manifest (schema 2).
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker's image config.
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

/// Why a document is refused. `what` names the image (a reference or an archive entry).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error(
        "the manifest of '{what}' has {size} bytes, more than the 4 MiB berth accepts: refusing it"
    )]
    TooLarge {
        /// The image.
        what: String,
        /// Its size.
        size: u64,
    },
    /// Both an image and an index, and nothing says which.
    #[error(
        "the manifest of '{what}' is ambiguous: it has both 'layers' and 'manifests' and no 'mediaType' saying which it is: refusing it"
    )]
    Ambiguous {
        /// The image.
        what: String,
    },
    /// Its fields contradict its media type.
    #[error("the manifest of '{what}' says it is '{media_type}' but has '{field}': refusing it")]
    Contradicts {
        /// The image.
        what: String,
        /// The declared media type.
        media_type: String,
        /// The field that does not belong.
        field: &'static str,
    },
    /// An OCI artifact (a Helm chart, a signature...), not a container image.
    #[error(
        "'{what}' is not a container image (an artifact of type '{kind}'): nothing to pull or run"
    )]
    Artifact {
        /// The image.
        what: String,
        /// Its artifact or config type.
        kind: String,
    },
    /// More layers than [`MAX_LAYERS`].
    #[error(
        "'{what}' has {count} layers, more than berth can mount ({MAX_LAYERS}, as Docker): refusing it"
    )]
    TooManyLayers {
        /// The image.
        what: String,
        /// Its layer count.
        count: usize,
    },
    /// Not JSON, or not the shape of any document berth reads.
    #[error("the manifest of '{what}' is malformed: {reason}")]
    Malformed {
        /// The image.
        what: String,
        /// What is wrong.
        reason: String,
    },
    /// The image config has a field of the wrong type (or is not JSON).
    #[error("the image config of '{what}' is invalid: {reason}")]
    BadConfig {
        /// The image.
        what: String,
        /// The field and what is wrong with it.
        reason: String,
    },
}

impl From<DocumentError> for EngineError {
    fn from(e: DocumentError) -> EngineError {
        EngineError::Invalid(e.to_string())
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An index (manifest list): one manifest per platform.
    Index,
    /// An image manifest.
    Manifest,
}

/// Refuses a document larger than [`MAX_DOCUMENT_BYTES`] (by its declared or real size).
pub fn check_size(what: &str, size: u64) -> Result<(), DocumentError> {
    if size > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge {
            what: what.to_string(),
            size,
        });
    }
    Ok(())
}

/// Parses a manifest or index and tells which it is; refuses one that is too large,
/// ambiguous, contradicts its media type or is an OCI artifact manifest.
pub fn classify(raw: &[u8], what: &str) -> Result<(Kind, Value), DocumentError> {
    check_size(what, raw.len() as u64)?;
    let v: Value = serde_json::from_slice(raw).map_err(|e| DocumentError::Malformed {
        what: what.to_string(),
        reason: e.to_string(),
    })?;
    if !v.is_object() {
        return Err(DocumentError::Malformed {
            what: what.to_string(),
            reason: "not a JSON object".into(),
        });
    }
    let has = |k: &str| v.get(k).is_some();
    let contradicts = |media_type: &str, field: &'static str| DocumentError::Contradicts {
        what: what.to_string(),
        media_type: media_type.to_string(),
        field,
    };
    let kind = match v["mediaType"].as_str() {
        Some(mt @ (OCI_INDEX | DOCKER_LIST)) => {
            for field in ["layers", "config"] {
                if has(field) {
                    return Err(contradicts(mt, field));
                }
            }
            Kind::Index
        }
        Some(mt @ (OCI_MANIFEST | DOCKER_MANIFEST)) => {
            if has("manifests") {
                return Err(contradicts(mt, "manifests"));
            }
            Kind::Manifest
        }
        Some(other) if other.contains("artifact") => {
            return Err(DocumentError::Artifact {
                what: what.to_string(),
                kind: other.to_string(),
            });
        }
        Some(other) => {
            return Err(DocumentError::Malformed {
                what: what.to_string(),
                reason: format!("unknown media type '{other}'"),
            });
        }
        None if has("manifests") && (has("layers") || has("config")) => {
            return Err(DocumentError::Ambiguous {
                what: what.to_string(),
            });
        }
        None if has("manifests") => Kind::Index,
        None => Kind::Manifest,
    };
    Ok((kind, v))
}

/// Checks an image manifest before its blobs are fetched: not an artifact (an
/// `artifactType`, or a config that is not an image config), and at most [`MAX_LAYERS`]
/// layers.
pub fn check_image_manifest(m: &Value, what: &str) -> Result<(), DocumentError> {
    let artifact = m["artifactType"].as_str().or_else(|| {
        m["config"]["mediaType"]
            .as_str()
            .filter(|t| *t != OCI_CONFIG && *t != DOCKER_CONFIG)
    });
    if let Some(kind) = artifact {
        return Err(DocumentError::Artifact {
            what: what.to_string(),
            kind: kind.to_string(),
        });
    }
    check_layer_count(m["layers"].as_array().map_or(0, Vec::len), what)
}

/// Refuses an image of more than [`MAX_LAYERS`] layers.
pub fn check_layer_count(count: usize, what: &str) -> Result<(), DocumentError> {
    if count > MAX_LAYERS {
        return Err(DocumentError::TooManyLayers {
            what: what.to_string(),
            count,
        });
    }
    Ok(())
}

/// Parses an image config, naming the field of a wrong type (`config.Env: invalid type...`).
pub fn parse_config(
    raw: &[u8],
    what: &str,
) -> Result<oci_spec::image::ImageConfiguration, DocumentError> {
    let de = &mut serde_json::Deserializer::from_slice(raw);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let reason = if path.is_empty() || path == "." {
            inner.to_string()
        } else {
            format!("field '{path}': {inner}")
        };
        DocumentError::BadConfig {
            what: what.to_string(),
            reason,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bytes(v: Value) -> Vec<u8> {
        serde_json::to_vec(&v).expect("json")
    }

    #[test]
    fn ambiguous_and_contradicting_documents_are_refused() {
        let both = json!({"schemaVersion": 2, "config": {}, "layers": [], "manifests": []});
        assert!(matches!(
            classify(&bytes(both), "x"),
            Err(DocumentError::Ambiguous { .. })
        ));
        let m = json!({"mediaType": OCI_MANIFEST, "layers": [], "manifests": []});
        assert!(matches!(
            classify(&bytes(m), "x"),
            Err(DocumentError::Contradicts { .. })
        ));
        let i = json!({"mediaType": OCI_INDEX, "manifests": [], "layers": []});
        assert!(matches!(
            classify(&bytes(i), "x"),
            Err(DocumentError::Contradicts { .. })
        ));
        let plain = json!({"schemaVersion": 2, "manifests": []});
        assert_eq!(classify(&bytes(plain), "x").expect("index").0, Kind::Index);
        let big = vec![b' '; MAX_DOCUMENT_BYTES as usize + 1];
        assert!(matches!(
            classify(&big, "x"),
            Err(DocumentError::TooLarge { .. })
        ));
    }

    #[test]
    fn artifacts_and_deep_images_are_refused() {
        let art = json!({"config": {"mediaType": "application/vnd.cncf.helm.config.v1+json"},
                         "layers": [{}]});
        let e = check_image_manifest(&art, "chart").expect_err("artifact");
        assert!(e.to_string().contains("not a container image"), "{e}");
        let deep = json!({"config": {"mediaType": OCI_CONFIG},
                          "layers": vec![json!({}); MAX_LAYERS + 1]});
        assert!(matches!(
            check_image_manifest(&deep, "x"),
            Err(DocumentError::TooManyLayers { .. })
        ));
    }

    #[test]
    fn a_wrongly_typed_config_field_is_named() {
        let raw = br#"{"architecture":"amd64","os":"linux","config":{"Env":"PATH=/bin"},
                       "rootfs":{"type":"layers","diff_ids":[]}}"#;
        let e = parse_config(raw, "img").expect_err("bad type");
        assert!(e.to_string().contains("config.Env"), "{e}");
    }
}
