//! The OCI image manifest berth writes for every image it makes (build, commit, import, load):
//! built here once, so every maker stores the same shape.

use super::blobs::digest_of;
use serde_json::json;

/// The manifest's media type.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// The config blob's media type.
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// One layer blob as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerDescriptor {
    /// The blob's media type (`application/vnd.oci.image.layer.v1.tar+gzip`, ...).
    pub media_type: String,
    /// `sha256:` of the blob as stored.
    pub digest: String,
    /// Blob size in bytes.
    pub size: u64,
}

/// The serialized OCI manifest of an image made of `config` (the config blob's bytes) and
/// `layers`, bottom first.
pub fn oci_manifest(config: &[u8], layers: &[LayerDescriptor]) -> Vec<u8> {
    let m = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": OCI_CONFIG,
            "digest": digest_of(config),
            "size": config.len(),
        },
        "layers": layers.iter().map(|l| json!({
            "mediaType": l.media_type,
            "digest": l.digest,
            "size": l.size,
        })).collect::<Vec<_>>(),
    });
    // A JSON value of strings and numbers always serializes.
    serde_json::to_vec(&m).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn manifest_describes_config_and_layers_in_order() {
        let config = br#"{"architecture":"amd64","os":"linux"}"#;
        let layers = [
            LayerDescriptor {
                media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
                digest: format!("sha256:{}", "a".repeat(64)),
                size: 123,
            },
            LayerDescriptor {
                media_type: "application/vnd.oci.image.layer.v1.tar".into(),
                digest: format!("sha256:{}", "b".repeat(64)),
                size: 4567,
            },
        ];
        let bytes = oci_manifest(config, &layers);
        let m: Value = serde_json::from_slice(&bytes).expect("manifest is JSON");
        assert_eq!(m["schemaVersion"], 2);
        assert_eq!(m["mediaType"], OCI_MANIFEST);
        assert_eq!(m["config"]["mediaType"], OCI_CONFIG);
        assert_eq!(m["config"]["digest"], digest_of(config));
        assert_eq!(m["config"]["size"], config.len());
        let got: Vec<(String, String, u64)> = m["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .map(|l| {
                (
                    l["mediaType"].as_str().unwrap_or_default().to_string(),
                    l["digest"].as_str().unwrap_or_default().to_string(),
                    l["size"].as_u64().unwrap_or_default(),
                )
            })
            .collect();
        let want: Vec<(String, String, u64)> = layers
            .iter()
            .map(|l| (l.media_type.clone(), l.digest.clone(), l.size))
            .collect();
        assert_eq!(got, want);
        // It parses as the OCI type the registry code reads.
        serde_json::from_slice::<oci_spec::image::ImageManifest>(&bytes).expect("OCI manifest");
    }

    #[test]
    fn image_without_layers_lists_none() {
        let m: Value = serde_json::from_slice(&oci_manifest(b"{}", &[])).expect("JSON");
        assert_eq!(m["layers"], json!([]));
    }
}
