//! Resolving a reference to one image manifest: the document the registry sends is checked
//! (size, ambiguity, media type) before anything it lists is fetched; an index leads to
//! this platform's manifest, fetched by digest and checked the same way.

use super::super::client::oci_reference;
use super::super::errors::{self, Op};
use super::super::platform::{self, Platform};
use super::ACCEPT;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::blobs::digest_of;
use crate::engine::image::document::{self, Kind};
use crate::engine::image::reference::RemoteReference;
use oci_client::secrets::RegistryAuth;
use serde_json::Value;

/// The image manifest a reference resolved to.
pub(super) struct Resolved {
    /// The manifest, byte for byte.
    pub bytes: Vec<u8>,
    /// Its digest.
    pub digest: String,
    /// The digest the reference itself resolved to (the index's when it was one).
    pub top_digest: String,
    /// The manifest, parsed.
    pub manifest: Value,
}

/// Fetches and checks the manifest of `r` on `host` for `platform`.
pub(super) async fn manifest(
    client: &oci_client::Client,
    auth: &RegistryAuth,
    host: &str,
    r: &RemoteReference,
    platform: &Platform,
) -> Result<Resolved> {
    let what = r.to_string();
    let map = |e| errors::map(e, host, &what, Op::Pull);
    let path = r.path();
    let image = oci_reference(host, &path, &r.reference.tag, r.digest.as_deref());
    let (raw, top_digest) = client
        .pull_manifest_raw(&image, auth, &ACCEPT)
        .await
        .map_err(map)?;
    verify(
        &raw,
        &top_digest,
        r.digest.as_deref().unwrap_or(&top_digest),
        None,
    )?;
    let (kind, top) = document::classify(&raw, &what)?;
    let (bytes, digest, manifest) = if kind == Kind::Index {
        let desc = platform::select(&top, platform)?;
        let digest = desc["digest"].as_str().unwrap_or_default().to_string();
        let size = desc["size"].as_u64();
        if let Some(s) = size {
            document::check_size(&what, s)?;
        }
        let child = oci_reference(host, &path, &r.reference.tag, Some(&digest));
        let (raw, got) = client
            .pull_manifest_raw(&child, auth, &ACCEPT)
            .await
            .map_err(|e| {
                if errors::is_not_found(&e) {
                    EngineError::Invalid(format!(
                        "the index of '{what}' lists manifest '{digest}' for {platform}, but '{host}' does not have it"
                    ))
                } else {
                    map(e).into()
                }
            })?;
        verify(&raw, &got, &digest, size)?;
        let (kind, manifest) = document::classify(&raw, &what)?;
        if kind == Kind::Index {
            return Err(unsupported(&what));
        }
        (raw.to_vec(), digest, manifest)
    } else {
        (raw.to_vec(), top_digest.clone(), top)
    };
    if manifest["schemaVersion"].as_u64() != Some(2) {
        return Err(unsupported(&what));
    }
    document::check_image_manifest(&manifest, &what)?;
    Ok(Resolved {
        bytes,
        digest,
        top_digest,
        manifest,
    })
}

fn unsupported(what: &str) -> EngineError {
    EngineError::Invalid(format!(
        "'{what}' uses an unsupported manifest format (schema 1 or nested index): push it again with a current client"
    ))
}

/// The bytes hash to `want` (and have `size` bytes when the descriptor says so).
fn verify(raw: &[u8], reported: &str, want: &str, size: Option<u64>) -> Result<()> {
    let got = digest_of(raw);
    if got != want || got != reported {
        return Err(EngineError::Invalid(format!(
            "manifest digest mismatch: expected '{want}', content has '{got}': nothing was stored"
        )));
    }
    if let Some(s) = size
        && s != raw.len() as u64
    {
        return Err(EngineError::Invalid(format!(
            "manifest '{want}' has {} bytes but its descriptor says {s}",
            raw.len()
        )));
    }
    Ok(())
}
