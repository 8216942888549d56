//! The image module's errors: the image, layer or archive concerned and what to do about it.

use std::path::PathBuf;

/// Why an image could not be read, unpacked, imported or saved.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// An image's config blob is not an OCI image config.
    #[error("image '{id}' has a bad config: {source}")]
    BadConfig {
        /// The image id.
        id: String,
        /// What the parser found wrong.
        source: serde_json::Error,
    },
    /// An image's manifest blob is not a manifest.
    #[error("bad manifest of '{id}': {source}")]
    BadManifest {
        /// The image id.
        id: String,
        /// What the parser found wrong.
        source: serde_json::Error,
    },
    /// An image whose manifest and config disagree on its layers.
    #[error("image '{id}': its manifest and config list different layers")]
    LayersMismatch {
        /// The image id.
        id: String,
    },
    /// A config or manifest berth made could not be encoded.
    #[error("cannot build the image's {what}: {source}")]
    Encode {
        /// `config`, `manifest`, `index`...
        what: &'static str,
        /// The encoder's error.
        source: serde_json::Error,
    },
    /// A layer whose short-name link file cannot be read.
    #[error("layer '{chain_id}' has an unreadable link file")]
    UnreadableLink {
        /// The layer's chain id.
        chain_id: String,
    },
    /// A layer of an image is not in the store (removed behind berth's back).
    #[error(
        "layer '{layer}' of image '{image}' is missing from the store: pull or load the image again"
    )]
    LayerMissing {
        /// The layer's chain id.
        layer: String,
        /// The image as the container names it.
        image: String,
    },
    /// The disk filled up while a layer was unpacked.
    #[error(
        "no space left on the device of '{}' while extracting '{entry}': free some space and try again",
        dest.display()
    )]
    DiskFull {
        /// Where the layer was being unpacked.
        dest: PathBuf,
        /// The archive entry being written.
        entry: String,
    },
    /// Writing an image archive (`save`) failed.
    #[error("cannot write the archive: {0}")]
    Archive(#[source] std::io::Error),
}
