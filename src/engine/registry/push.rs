//! `push`: send an image's blobs and then its manifest, byte for byte as stored, so the
//! digest printed is the one every client gets. Blobs the registry has are skipped (HEAD),
//! blobs it has in another repository are mounted, the rest are uploaded in chunks.

use super::RegistryError;
use super::RegistryOptions;
use super::client::{auth_for, oci_client, oci_reference};
use super::errors::{self, Op};
use super::fetch::Want;
use super::progress::{Progress, short};
use super::pull::OCI_MANIFEST;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::blobs::digest_of;
use crate::engine::image::reference::RemoteReference;
use futures_util::{StreamExt, TryStreamExt};
use oci_client::RegistryOperation;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// Blobs uploaded at once.
const PARALLEL: usize = 3;
/// Bytes read from disk per chunk of an upload.
const READ_CHUNK: usize = 1024 * 1024;

/// Options of `push`.
#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// Registry settings.
    pub registries: RegistryOptions,
    /// Credentials to use instead of the saved ones (an API client's `X-Registry-Auth`).
    pub credentials: Option<super::Credentials>,
}

/// What a push sent.
#[derive(Debug, Clone)]
pub struct PushResult {
    /// The tag pushed.
    pub tag: String,
    /// The manifest digest.
    pub digest: String,
    /// The manifest size in bytes.
    pub size: u64,
}

impl Engine {
    /// Pushes the local image `reference` (`NAME[:TAG]`) to its registry.
    pub async fn push_image(
        &self,
        reference: &str,
        opts: &PushOptions,
        progress: impl Fn(Progress),
    ) -> Result<PushResult> {
        let r = RemoteReference::parse(reference)?;
        if r.digest.is_some() {
            return Err(EngineError::Invalid(format!(
                "cannot push '{reference}': push a tag, not a digest"
            )));
        }
        let name = r.reference.to_string();
        let img = self.image(&name).map_err(|e| match e {
            EngineError::NoSuchImage(_) => EngineError::Invalid(format!(
                "no such image: '{name}': tag an image with 'berth tag IMAGE {name}' first"
            )),
            other => other,
        })?;
        let blobs = self.blobs();
        let manifest_bytes = blobs.read(&img.manifest_digest)?;
        let manifest: Value = serde_json::from_slice(&manifest_bytes).map_err(|e| {
            EngineError::Invalid(format!("stored manifest of '{name}' is bad: {e}"))
        })?;
        let mut wants = Vec::new();
        for d in manifest["layers"].as_array().into_iter().flatten() {
            wants.push(want(d)?);
        }
        let config = want(&manifest["config"])?;
        let config_digest = config.digest.clone();
        wants.push(config);

        let host = r.domain();
        let what = name.clone();
        let map = |e| errors::map(e, &host, &what, Op::Push);
        let client = oci_client(&host, &opts.registries).await?;
        let auth = auth_for(&host, opts.credentials.as_ref())?;
        let target = oci_reference(&host, &r.path(), &r.reference.tag, None);
        client
            .auth(&target, &auth, RegistryOperation::Push)
            .await
            .map_err(map)?;
        progress(Progress::Resolved {
            reference: r.reference.name.clone(),
        });
        // Other repositories of the same registry this image came from or went to.
        let sources: Vec<String> = img
            .repo_digests
            .iter()
            .filter_map(|d| d.split_once('@').map(|(n, _)| n.to_string()))
            .filter_map(|n| RemoteReference::parse(&n).ok())
            .filter(|s| s.domain() == host && s.path() != r.path())
            .map(|s| s.path())
            .collect();

        let quiet = |_: Progress| {};
        futures_util::stream::iter(wants.iter().map(|w| {
            // Docker shows layers only, not the config blob.
            let progress: &dyn Fn(Progress) = if w.digest == config_digest {
                &quiet
            } else {
                &progress
            };
            let (client, target, host, blobs, sources) = (&client, &target, &host, &blobs, &sources);
            async move {
                let id = short(&w.digest);
                let exists = client
                    .blob_exists(target, &w.digest)
                    .await
                    .map_err(|e| errors::map(e, host, &target.whole(), Op::Push))?;
                if exists {
                    progress(Progress::AlreadyExists { id });
                    return Ok(());
                }
                for src in sources {
                    let from = oci_reference(host, src, "latest", None);
                    if client.mount_blob(target, &from, &w.digest).await.is_ok() {
                        progress(Progress::Mounted {
                            id,
                            from: src.clone(),
                        });
                        return Ok(());
                    }
                }
                progress(Progress::Waiting {
                    id: id.clone(),
                    total: w.size,
                });
                let path = blobs.path(&w.digest)?;
                let file = tokio::fs::File::open(&path).await.map_err(|source| {
                    RegistryError::BlobMissing {
                        digest: w.digest.clone(),
                        image: target.whole(),
                        source,
                    }
                })?;
                let sent = Arc::new(AtomicU64::new(0));
                let push = client.push_blob_stream_chunked(target, file_chunks(file, sent.clone()));
                tokio::pin!(push);
                let resp = loop {
                    tokio::select! {
                        r = &mut push => break r,
                        _ = tokio::time::sleep(Duration::from_millis(100)) => progress(Progress::Transferring {
                            id: id.clone(),
                            current: sent.load(Ordering::Relaxed),
                            total: w.size,
                        }),
                    }
                }
                .map_err(|e| errors::map(e, host, &target.whole(), Op::Push))?;
                if resp.blob_digest != w.digest {
                    return Err(EngineError::Invalid(format!(
                        "local blob '{}' changed on disk (it hashes to '{}'): remove and pull the image again",
                        w.digest, resp.blob_digest
                    )));
                }
                progress(Progress::Complete { id });
                Ok::<(), EngineError>(())
            }
        }))
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;

        let media = manifest["mediaType"].as_str().unwrap_or(OCI_MANIFEST);
        let content_type = reqwest::header::HeaderValue::from_str(media)
            .map_err(|e| EngineError::Invalid(format!("bad manifest media type '{media}': {e}")))?;
        client
            .push_manifest_raw(&target, manifest_bytes.clone(), content_type)
            .await
            .map_err(map)?;
        let digest = digest_of(&manifest_bytes);
        self.add_repo_digest(&img.id, &r.with_digest(&digest))?;
        Ok(PushResult {
            tag: r.reference.tag.clone(),
            digest,
            size: manifest_bytes.len() as u64,
        })
    }
}

fn want(d: &Value) -> Result<Want> {
    let digest = d["digest"].as_str().unwrap_or_default().to_string();
    crate::engine::image::blobs::hex_of(&digest)?;
    Ok(Want {
        size: d["size"].as_u64().unwrap_or(0),
        digest,
    })
}

/// The file as a stream of chunks, counting the bytes read into `sent`.
fn file_chunks(
    file: tokio::fs::File,
    sent: Arc<AtomicU64>,
) -> impl futures_util::Stream<Item = oci_client::errors::Result<bytes::Bytes>> + Send + 'static {
    futures_util::stream::try_unfold(file, move |mut f| {
        let sent = sent.clone();
        async move {
            let mut buf = vec![0u8; READ_CHUNK];
            let n = f.read(&mut buf).await?;
            if n == 0 {
                return Ok(None);
            }
            buf.truncate(n);
            sent.fetch_add(n as u64, Ordering::Relaxed);
            Ok(Some((bytes::Bytes::from(buf), f)))
        }
    })
}
