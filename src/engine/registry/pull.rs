//! `pull`: resolve a reference (through an index to this platform's manifest), fetch the
//! config, download the missing layers concurrently while verifying and unpacking them, then
//! store and tag the image in one step.

use super::RegistryOptions;
use super::client::{auth_for, oci_client, oci_reference};
use super::errors::{self, Op};
use super::fetch::{self, Want};
use super::platform::{self, Platform};
use super::progress::{Progress, short};
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::blobs::digest_of;
use crate::engine::image::commit::LayerSource;
use crate::engine::image::index::Index;
use crate::engine::image::layers::chain_ids;
use crate::engine::image::reference::RemoteReference;
use futures_util::{StreamExt, TryStreamExt};
use oci_client::RegistryOperation;
use serde_json::Value;

/// Manifest media types berth understands.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker's manifest list.
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub use crate::engine::image::manifest::OCI_MANIFEST;
/// Docker's image manifest (schema 2).
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const ACCEPT: [&str; 4] = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST];
/// Layers downloaded at once.
const PARALLEL: usize = 4;

/// Options of `pull`.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// The platform to pick from an index (default: this machine's).
    pub platform: Option<Platform>,
    /// Registry settings.
    pub registries: RegistryOptions,
}

/// What a pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullStatus {
    /// New content was fetched or the reference moved.
    Downloaded,
    /// The reference already pointed at this manifest.
    UpToDate,
}

/// The outcome of a pull.
#[derive(Debug, Clone)]
pub struct PullResult {
    /// The reference as Docker prints it (`busybox:latest`, `name@sha256:...`).
    pub reference: String,
    /// The digest the reference resolved to (an index's when it was one).
    pub digest: String,
    /// The image id.
    pub id: String,
    /// Whether anything changed.
    pub status: PullStatus,
    /// Layer bytes that came over the network (less than the layers' size when an
    /// interrupted download was resumed, 0 when every layer was there).
    pub fetched: u64,
}

impl Engine {
    /// Pulls `reference` (`NAME[:TAG][@DIGEST]`), trying mirrors first.
    pub async fn pull_image(
        &self,
        reference: &str,
        opts: &PullOptions,
        progress: impl Fn(Progress),
    ) -> Result<PullResult> {
        let r = RemoteReference::parse(reference)?;
        let domain = r.domain();
        let mirrors = opts
            .registries
            .mirrors
            .get(&domain)
            .cloned()
            .unwrap_or_default();
        for m in mirrors {
            match self.pull_from(&r, &m, opts, &progress).await {
                Ok(res) => return Ok(res),
                Err(e) => tracing::warn!("mirror '{m}' failed for '{r}': {e}"),
            }
        }
        self.pull_from(&r, &domain, opts, &progress).await
    }

    /// The tags of a repository (for `pull -a`).
    pub async fn registry_tags(&self, repository: &str, opts: &PullOptions) -> Result<Vec<String>> {
        let r = RemoteReference::parse(repository)?;
        let host = r.domain();
        let client = oci_client(&host, &opts.registries).await?;
        let auth = auth_for(&host)?;
        let image = oci_reference(&host, &r.path(), &r.reference.tag, None);
        let resp = client
            .list_tags(&image, &auth, None, None)
            .await
            .map_err(|e| errors::map(e, &host, &r.reference.name, Op::Pull))?;
        Ok(resp.tags)
    }

    async fn pull_from(
        &self,
        r: &RemoteReference,
        host: &str,
        opts: &PullOptions,
        progress: &dyn Fn(Progress),
    ) -> Result<PullResult> {
        let what = r.to_string();
        let map = |e| errors::map(e, host, &what, Op::Pull);
        let client = oci_client(host, &opts.registries).await?;
        let auth = auth_for(host)?;
        let path = r.path();
        let image = oci_reference(host, &path, &r.reference.tag, r.digest.as_deref());
        client
            .auth(&image, &auth, RegistryOperation::Pull)
            .await
            .map_err(map)?;
        let (raw, top_digest) = client
            .pull_manifest_raw(&image, &auth, &ACCEPT)
            .await
            .map_err(map)?;
        verify_manifest(
            &raw,
            &top_digest,
            r.digest.as_deref().unwrap_or(&top_digest),
            None,
        )?;
        let top: Value = parse_json(&raw, &what)?;
        let (manifest_bytes, manifest_digest) = if is_index(&top) {
            let want = opts.platform.clone().unwrap_or_else(Platform::host);
            let desc = platform::select(&top, &want)?;
            let digest = desc["digest"].as_str().unwrap_or_default().to_string();
            let size = desc["size"].as_u64();
            let image = oci_reference(host, &path, &r.reference.tag, Some(&digest));
            let (raw, got) = client
                .pull_manifest_raw(&image, &auth, &ACCEPT)
                .await
                .map_err(map)?;
            verify_manifest(&raw, &got, &digest, size)?;
            (raw.to_vec(), digest)
        } else {
            (raw.to_vec(), top_digest.clone())
        };
        let manifest: Value = parse_json(&manifest_bytes, &what)?;
        if manifest["schemaVersion"].as_u64() != Some(2) || is_index(&manifest) {
            return Err(EngineError::Invalid(format!(
                "'{what}' uses an unsupported manifest format (schema 1 or nested index): push it again with a current client"
            )));
        }
        progress(Progress::Resolved {
            reference: what.clone(),
        });
        let config_want = want_of(&manifest["config"])?;
        let layers: Vec<Want> = manifest["layers"]
            .as_array()
            .map(|a| a.iter().map(want_of).collect::<Result<Vec<_>>>())
            .transpose()?
            .unwrap_or_default();

        let blobs = self.blobs();
        let config_bytes = if blobs.has(&config_want.digest) {
            blobs.read(&config_want.digest)?
        } else {
            fetch::small(&client, &image, host, &config_want).await?
        };
        let config: Value = parse_json(&config_bytes, &what)?;
        let diff_ids: Vec<String> = config["rootfs"]["diff_ids"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if diff_ids.len() != layers.len() {
            return Err(EngineError::Invalid(format!(
                "'{what}' is inconsistent: its manifest lists {} layers, its config {}",
                layers.len(),
                diff_ids.len()
            )));
        }
        let chains = chain_ids(&diff_ids);

        let mut missing = Vec::new();
        for (i, (l, chain)) in layers.iter().zip(&chains).enumerate() {
            if self.layer_dir(chain).is_dir() {
                progress(Progress::AlreadyExists {
                    id: short(&l.digest),
                });
            } else {
                progress(Progress::Waiting {
                    id: short(&l.digest),
                    total: l.size,
                });
                missing.push(i);
            }
        }
        let fetched: Vec<(usize, (crate::engine::image::commit::PendingLayer, u64))> =
            futures_util::stream::iter(missing.into_iter().map(|i| {
                let (paths, client, image, want, diff) = (
                    self.paths().clone(),
                    &client,
                    &image,
                    &layers[i],
                    &diff_ids[i],
                );
                async move {
                    fetch::layer(paths, client, image, host, want, diff, progress)
                        .await
                        .map(|l| (i, l))
                }
            }))
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        let network_bytes = fetched.iter().map(|(_, (_, n))| n).sum();
        let mut fetched: Vec<Option<_>> = {
            let mut v: Vec<Option<_>> = (0..layers.len()).map(|_| None).collect();
            for (i, (l, _)) in fetched {
                v[i] = Some(l);
            }
            v
        };
        let sources: Vec<LayerSource> = diff_ids
            .iter()
            .enumerate()
            .map(|(i, d)| match fetched[i].take() {
                Some(l) => LayerSource::New(Box::new(l)),
                None => LayerSource::Present(d.clone()),
            })
            .collect();

        let refs = if r.digest.is_none() || r.explicit_tag {
            vec![r.reference.clone()]
        } else {
            Vec::new()
        };
        let before = Index::load(self.paths())?;
        let up_to_date = before.id_of_manifest(&manifest_digest).is_some()
            && refs
                .iter()
                .all(|rf| before.references.get(&rf.to_string()) == Some(&manifest_digest));
        let repo_digest = r.with_digest(&top_digest);
        let id = self.commit_layers(
            config_bytes,
            manifest_bytes,
            sources,
            vec![repo_digest],
            &refs,
        )?;
        Ok(PullResult {
            reference: what,
            digest: top_digest,
            id,
            status: if up_to_date {
                PullStatus::UpToDate
            } else {
                PullStatus::Downloaded
            },
            fetched: network_bytes,
        })
    }
}

fn is_index(v: &Value) -> bool {
    matches!(v["mediaType"].as_str(), Some(OCI_INDEX) | Some(DOCKER_LIST))
        || (v.get("manifests").is_some() && v.get("layers").is_none())
}

fn parse_json(raw: &[u8], what: &str) -> Result<Value> {
    serde_json::from_slice(raw).map_err(|e| {
        EngineError::Invalid(format!(
            "registry sent a malformed document for '{what}': {e}"
        ))
    })
}

fn want_of(desc: &Value) -> Result<Want> {
    let digest = desc["digest"].as_str().unwrap_or_default();
    crate::engine::image::blobs::hex_of(digest)?;
    let size = desc["size"]
        .as_u64()
        .ok_or_else(|| EngineError::Invalid(format!("descriptor of '{digest}' has no size")))?;
    Ok(Want {
        digest: digest.to_string(),
        size,
    })
}

/// The bytes hash to `want` (and have `size` bytes when the descriptor says so).
fn verify_manifest(raw: &[u8], reported: &str, want: &str, size: Option<u64>) -> Result<()> {
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
