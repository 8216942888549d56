//! Registries: pull and push images over the OCI distribution API (through `oci-client`),
//! and the credentials `login` saves.
//!
//! Everything fetched is checked while it streams: a blob is written to `tmp/` while hashed
//! and renamed into the content store only when its digest and size match the descriptor,
//! and an image is tagged only after every layer is verified and unpacked (see
//! `image::commit`). Plain HTTP is used for loopback registries and those listed in
//! `registries.insecure`; everything else is HTTPS, trusting the system's roots plus
//! `registries.ca_files`.

pub mod client;
pub mod credentials;
pub mod errors;
pub mod fetch;
pub mod login;
pub mod platform;
pub mod policy;
pub mod progress;
pub mod pull;
pub mod push;
pub mod stream;

pub use credentials::Credentials;
pub use errors::RegistryError;
pub use platform::Platform;
pub use policy::PullPolicy;
pub use progress::Progress;
pub use pull::{PullOptions, PullResult};
pub use push::{PushOptions, PushResult};

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Registry settings (the `registries:` key of the config file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistryOptions {
    /// Hosts (`host` or `host:port`) reached over plain HTTP besides loopback ones.
    pub insecure: Vec<String>,
    /// Mirrors tried first for a registry: host -> mirror hosts, in order.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Extra PEM CA certificates trusted for HTTPS registries.
    pub ca_files: Vec<PathBuf>,
}
