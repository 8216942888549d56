//! `pull`: resolve a reference (through an index to this platform's manifest, `resolve.rs`),
//! fetch and check the config, download the missing layers concurrently while verifying and
//! unpacking them (`layers.rs`), then store and tag the image in one step.

use super::RegistryOptions;
use super::client::{auth_for, oci_client, oci_reference};
use super::errors::{self, Op};
use super::fetch::{self, Want};
use super::platform::Platform;
use super::progress::Progress;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::document;
use crate::engine::image::index::Index;
use crate::engine::image::reference::RemoteReference;
use oci_client::RegistryOperation;
use serde_json::Value;

mod layers;
mod resolve;

pub use crate::engine::image::document::{DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX};
pub use crate::engine::image::manifest::OCI_MANIFEST;
/// Manifest media types berth understands.
const ACCEPT: [&str; 4] = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST];

/// Options of `pull`.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// The platform to pick from an index (default: this machine's).
    pub platform: Option<Platform>,
    /// Registry settings.
    pub registries: RegistryOptions,
    /// Credentials for the image's own registry instead of the saved ones (an API
    /// client's `X-Registry-Auth`); never sent to a mirror.
    pub credentials: Option<super::Credentials>,
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
    pub id: crate::engine::ImageId,
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
        let auth = auth_for(&host, opts.credentials.as_ref())?;
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
        let client = oci_client(host, &opts.registries).await?;
        let given = opts.credentials.as_ref().filter(|_| host == r.domain());
        let auth = auth_for(host, given)?;
        let image = oci_reference(host, &r.path(), &r.reference.tag, r.digest.as_deref());
        client
            .auth(&image, &auth, RegistryOperation::Pull)
            .await
            .map_err(|e| errors::map(e, host, &what, Op::Pull))?;
        let platform = opts.platform.clone().unwrap_or_else(Platform::host);
        let resolved = resolve::manifest(&client, &auth, host, r, &platform).await?;
        progress(Progress::Resolved {
            reference: what.clone(),
        });
        let (config_bytes, diff_ids, layers) = self
            .fetch_config(&client, &image, host, &resolved.manifest, &what)
            .await?;
        let job = layers::Job {
            client: &client,
            image: &image,
            host,
            layers: &layers,
            diff_ids: &diff_ids,
            progress,
        };
        let (sources, network_bytes) = self.fetch_layers(&job).await?;

        let refs = if r.digest.is_none() || r.explicit_tag {
            vec![r.reference.clone()]
        } else {
            Vec::new()
        };
        let before = Index::load(self.paths())?;
        let up_to_date = before.id_of_manifest(&resolved.digest).is_some()
            && refs
                .iter()
                .all(|rf| before.references.get(&rf.to_string()) == Some(&resolved.digest));
        let repo_digest = r.with_digest(&resolved.top_digest);
        let id = self.commit_layers(
            config_bytes,
            resolved.bytes,
            sources,
            vec![repo_digest],
            &refs,
        )?;
        Ok(PullResult {
            reference: what,
            digest: resolved.top_digest,
            id: crate::engine::ImageId::from_trusted(id),
            status: if up_to_date {
                PullStatus::UpToDate
            } else {
                PullStatus::Downloaded
            },
            fetched: network_bytes,
        })
    }

    /// The config of `manifest` (stored or fetched), checked before any layer is: typed
    /// fields parse, and it lists as many layers as the manifest. Returns the config's
    /// bytes, its diff ids and the layers to fetch.
    async fn fetch_config(
        &self,
        client: &oci_client::Client,
        image: &oci_client::Reference,
        host: &str,
        manifest: &Value,
        what: &str,
    ) -> Result<(Vec<u8>, Vec<String>, Vec<Want>)> {
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
            fetch::small(client, image, host, &config_want).await?
        };
        let config = document::parse_config(&config_bytes, what)?;
        let diff_ids = config.rootfs().diff_ids().clone();
        if diff_ids.len() != layers.len() {
            return Err(EngineError::Invalid(format!(
                "'{what}' is inconsistent: its manifest lists {} layers, its config {}",
                layers.len(),
                diff_ids.len()
            )));
        }
        Ok((config_bytes, diff_ids, layers))
    }
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
