//! Fetching blobs: small ones (manifests, configs) into memory, layers streamed straight
//! into the content store's temp file and the safe unpacker at once.
//!
//! An interrupted layer download stays in `tmp/partial-<hex>` and the next pull asks only
//! for the rest. Every byte is hashed as it arrives; a blob longer than its descriptor says is cut off, and
//! a digest or size mismatch leaves nothing behind (the temp blob and the staged layer
//! remove themselves when dropped).

use super::RegistryError;
use super::errors::{self, Op};
use super::progress::{Progress, short};
use super::stream::{BoundedReader, ChannelReader};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::image::blobs::{BlobWriter, Blobs, HashingReader, TeeReader, digest_of};
use crate::engine::image::commit::PendingLayer;
use crate::engine::image::layers::{StagedLayer, decompress};
use crate::engine::store::Paths;
use futures_util::StreamExt;
use oci_client::client::BlobResponse;
use oci_client::manifest::OciDescriptor;
use std::io::{self, Read};

/// A layer may decompress to at most this many times its declared size...
const MAX_RATIO: u64 = 100;
/// ...or this many bytes, whichever is larger.
const MIN_BOUND: u64 = 128 * 1024 * 1024;

/// The most a layer of `size` compressed bytes may decompress to.
pub fn decompressed_bound(size: u64) -> u64 {
    size.saturating_mul(MAX_RATIO).max(MIN_BOUND)
}

/// What a descriptor promises.
#[derive(Debug, Clone)]
pub struct Want {
    /// `sha256:<hex>`.
    pub digest: String,
    /// Bytes.
    pub size: u64,
}

impl Want {
    /// The descriptor oci-client takes.
    pub fn descriptor(&self) -> OciDescriptor {
        OciDescriptor {
            digest: self.digest.clone(),
            size: self.size as i64,
            ..Default::default()
        }
    }
}

/// Fetches a small blob (a config) into memory, checked against `want`.
pub async fn small(
    client: &oci_client::Client,
    image: &oci_client::Reference,
    host: &str,
    want: &Want,
) -> Result<Vec<u8>> {
    if want.size > 16 * 1024 * 1024 {
        return Err(EngineError::Invalid(format!(
            "config blob '{}' claims {} bytes: refusing it",
            want.digest, want.size
        )));
    }
    let mut stream = client
        .pull_blob_stream(image, &want.descriptor())
        .await
        .map_err(|e| errors::map(e, host, &image.whole(), Op::Pull))?;
    let mut data = Vec::with_capacity(want.size as usize);
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(b) => data.extend_from_slice(&b),
            // oci-client's own check at the end: ours below says it better.
            Err(_) if data.len() as u64 == want.size => break,
            Err(e) => {
                return Err(RegistryError::Download {
                    host: host.to_string(),
                    why: e.to_string(),
                }
                .into());
            }
        }
        if data.len() as u64 > want.size {
            break;
        }
    }
    check(
        &want.digest,
        want.size,
        &digest_of(&data),
        data.len() as u64,
    )?;
    Ok(data)
}

/// Errors unless the content matches the descriptor.
pub fn check(want_digest: &str, want_size: u64, got_digest: &str, got_size: u64) -> Result<()> {
    if got_size != want_size {
        return Err(EngineError::Invalid(format!(
            "blob '{want_digest}' has {got_size} bytes but its descriptor says {want_size}: nothing was stored"
        )));
    }
    if got_digest != want_digest {
        return Err(EngineError::Invalid(format!(
            "digest mismatch: expected '{want_digest}', content has '{got_digest}': nothing was stored"
        )));
    }
    Ok(())
}

/// Downloads a layer, storing its blob and unpacking it in one pass; `diff_id` is what the
/// config says the uncompressed tar hashes to. An earlier, interrupted download of the same
/// blob is resumed with a `Range` request (its bytes are read back from `tmp/`, hashed and
/// unpacked first); a registry that ignores the range sends it all again. Returns the layer
/// and the bytes that came over the network. A resumed download whose whole does not match
/// the digest (the kept bytes were bad) is fetched once more from the start.
pub(crate) async fn layer(
    paths: Paths,
    client: &oci_client::Client,
    image: &oci_client::Reference,
    host: &str,
    want: &Want,
    diff_id: &str,
    progress: &dyn Fn(Progress),
) -> Result<(PendingLayer, u64)> {
    let job = Job {
        paths,
        client,
        image,
        host,
        want,
        diff_id,
        progress,
    };
    let mut resumed = false;
    match attempt(&job, true, &mut resumed).await {
        Err(EngineError::Invalid(e)) if resumed => {
            tracing::warn!(
                "resumed download of '{}' was bad ({e}): fetching it whole",
                want.digest
            );
            attempt(&job, false, &mut resumed).await
        }
        other => other,
    }
}

/// What one layer download needs.
struct Job<'a> {
    paths: Paths,
    client: &'a oci_client::Client,
    image: &'a oci_client::Reference,
    host: &'a str,
    want: &'a Want,
    diff_id: &'a str,
    progress: &'a dyn Fn(Progress),
}

/// One download, resuming a kept one when `resume`; `resumed` tells whether it did.
async fn attempt(job: &Job<'_>, resume: bool, resumed: &mut bool) -> Result<(PendingLayer, u64)> {
    let (client, image, host, want, progress) =
        (job.client, job.image, job.host, job.want, job.progress);
    let (paths, diff_id) = (job.paths.clone(), job.diff_id);
    let id = short(&want.digest);
    let map = |e| errors::map(e, host, &image.whole(), Op::Pull);
    let blobs = Blobs::new(&paths);
    let mut blob = match blobs.resumable(&want.digest, want.size)? {
        Some(w) => w,
        None => blobs.writer()?,
    };
    if !resume && blob.resumed_at() > 0 {
        blob.restart()?;
    }
    let mut offset = blob.resumed_at();
    // Asked as a range even from 0: a 206 answer streams without oci-client's own digest
    // check, which would hash every byte a second time (ours covers the whole blob). A
    // registry that ignores ranges answers 200 with the whole blob, checked by both.
    let response = if want.size == 0 {
        BlobResponse::Full(
            client
                .pull_blob_stream(image, &want.descriptor())
                .await
                .map_err(map)?,
        )
    } else {
        match client
            .pull_blob_stream_partial(image, &want.descriptor(), offset, None)
            .await
        {
            Ok(r) => r,
            // The registry refuses the rest (416: the kept bytes are not a prefix of what
            // it has): start over rather than fail on every later pull.
            Err(e) if offset > 0 => {
                tracing::warn!(
                    "resuming '{}' was refused ({e}): fetching it whole",
                    want.digest
                );
                blob.restart()?;
                offset = 0;
                client
                    .pull_blob_stream_partial(image, &want.descriptor(), 0, None)
                    .await
                    .map_err(map)?
            }
            Err(e) => return Err(map(e).into()),
        }
    };
    *resumed = offset > 0;
    let (mut stream, prefix) = match response {
        BlobResponse::Partial(s) if offset > 0 => {
            progress(Progress::Resumed {
                id: id.clone(),
                current: offset,
                total: want.size,
            });
            let path = blobs.partial_path(&want.digest)?;
            let file = std::fs::File::open(&path).at(&path)?;
            (s, Some(file.take(offset)))
        }
        BlobResponse::Partial(s) => (s, None),
        BlobResponse::Full(s) => {
            blob.restart()?;
            (s, None)
        }
    };
    let start = blob.resumed_at();
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<bytes::Bytes>>(32);
    let w = want.clone();
    let d = diff_id.to_string();
    let unpack = tokio::task::spawn_blocking(move || {
        let input: Box<dyn Read + Send> = match prefix {
            Some(p) => Box::new(p.chain(ChannelReader::new(rx))),
            None => Box::new(ChannelReader::new(rx)),
        };
        unpack(&paths, input, blob, &w, &d)
    });
    let mut got = start;
    let mut failure = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(b) => {
                got += b.len() as u64;
                progress(Progress::Transferring {
                    id: id.clone(),
                    current: got.min(want.size),
                    total: want.size,
                });
                if tx.send(Ok(b)).await.is_err() || got > want.size {
                    break;
                }
            }
            // All bytes are in: the unpacker's own digest check reports the mismatch.
            Err(_) if got == want.size => break,
            Err(e) => {
                let failed = RegistryError::LayerDownload {
                    layer: id.clone(),
                    host: host.to_string(),
                    why: errors::chain(&e),
                };
                let _ = tx.send(Err(io::Error::other(failed.to_string()))).await;
                failure = Some(failed);
                break;
            }
        }
    }
    drop(tx);
    if failure.is_none() {
        progress(Progress::Extracting { id: id.clone() });
    }
    let pending = unpack.await.map_err(RegistryError::UnpackTask);
    if let Some(failed) = failure {
        return Err(failed.into());
    }
    let pending = pending??;
    progress(Progress::Complete { id });
    Ok((pending, got.saturating_sub(start)))
}

/// The blocking half: tee into a temp blob, decompress (bounded), hash, unpack.
fn unpack(
    paths: &Paths,
    input: impl Read,
    mut blob: BlobWriter,
    want: &Want,
    diff_id: &str,
) -> Result<PendingLayer> {
    // One byte more than declared is enough to know it lies.
    let mut limited = input.take(want.size + 1);
    let unpacked = {
        let mut tee = TeeReader::new(&mut limited, &mut blob);
        let result = (|| -> Result<(StagedLayer, String)> {
            let plain = decompress(&mut tee)?;
            let mut hashing =
                HashingReader::new(BoundedReader::new(plain, decompressed_bound(want.size)));
            let staged = StagedLayer::unpack(paths, &mut hashing)?;
            let (got, _) = hashing
                .finish()
                .map_err(|e| EngineError::Invalid(format!("invalid layer: {e}")))?;
            Ok((staged, got))
        })();
        // Drain what is left so the digest covers the whole blob.
        let drained = io::copy(&mut tee, &mut io::sink());
        (result, drained)
    };
    let (result, drained) = unpacked;
    if blob.disk_full() {
        // The download stays in `tmp/` to be resumed once there is room.
        return Err(RegistryError::DiskFull {
            dir: paths.tmp(),
            digest: want.digest.clone(),
        }
        .into());
    }
    // An interrupted download keeps its bytes for the next pull (the blob's drop).
    drained.map_err(RegistryError::Interrupted)?;
    // All of it came: a lying blob is reported as such even when it also failed to unpack,
    // and nothing of it is kept to resume.
    if let Err(e) = check(&want.digest, want.size, &blob.digest(), blob.size()) {
        blob.discard();
        return Err(e);
    }
    let (mut staged, got) = result?;
    if got != diff_id {
        return Err(EngineError::Invalid(format!(
            "layer '{}' unpacks to '{got}' but the image config says '{diff_id}': nothing was stored",
            want.digest
        )));
    }
    staged.diff_id = got;
    blob.sync()?;
    Ok(PendingLayer {
        blob,
        expected: Some(want.digest.clone()),
        staged,
    })
}
