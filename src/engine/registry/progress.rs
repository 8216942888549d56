//! Progress of a pull or a push, reported per layer (the CLI draws Docker-like lines,
//! the dashboard a gauge).

/// One progress event. `id` is the 12-hex short digest Docker shows for a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The reference resolved to a manifest.
    Resolved {
        /// What is being pulled or pushed.
        reference: String,
    },
    /// A layer will be transferred.
    Waiting {
        /// Short digest.
        id: String,
        /// Its size in bytes.
        total: u64,
    },
    /// A layer is already there (locally for a pull, in the registry for a push).
    AlreadyExists {
        /// Short digest.
        id: String,
    },
    /// Bytes of a layer moved so far.
    Transferring {
        /// Short digest.
        id: String,
        /// Bytes so far.
        current: u64,
        /// Total bytes.
        total: u64,
    },
    /// An interrupted download of a layer continues from `current` bytes.
    Resumed {
        /// Short digest.
        id: String,
        /// Bytes already there.
        current: u64,
        /// Total bytes.
        total: u64,
    },
    /// A layer's bytes are all in; the unpacker finishes extracting and verifying it.
    Extracting {
        /// Short digest.
        id: String,
    },
    /// A blob was mounted from another repository of the registry.
    Mounted {
        /// Short digest.
        id: String,
        /// The source repository.
        from: String,
    },
    /// A layer is fully transferred, verified (and for a pull, unpacked).
    Complete {
        /// Short digest.
        id: String,
    },
}

/// The 12-hex short form of a digest.
pub fn short(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex[..hex.len().min(12)].to_string()
}
