//! Downloading the layers a pull lacks, a few at once, each verified and unpacked as it
//! streams; layers already unpacked here are skipped.

use super::super::fetch::{self, Want};
use super::super::progress::{Progress, short};
use crate::engine::Engine;
use crate::engine::error::Result;
use crate::engine::image::commit::{LayerSource, PendingLayer};
use crate::engine::image::layers::chain_ids;
use futures_util::{StreamExt, TryStreamExt};

/// Layers downloaded at once.
const PARALLEL: usize = 4;

/// What fetching the layers of one image needs.
pub(super) struct Job<'a> {
    pub client: &'a oci_client::Client,
    pub image: &'a oci_client::Reference,
    pub host: &'a str,
    /// The manifest's layer descriptors, bottom first.
    pub layers: &'a [Want],
    /// The config's diff ids, one per layer.
    pub diff_ids: &'a [String],
    pub progress: &'a dyn Fn(Progress),
}

impl Engine {
    /// Fetches the missing layers of `job`; returns every layer as a source for storing
    /// the image, and the bytes that came over the network.
    pub(super) async fn fetch_layers(&self, job: &Job<'_>) -> Result<(Vec<LayerSource>, u64)> {
        let progress = job.progress;
        let chains = chain_ids(job.diff_ids);
        let mut missing = Vec::new();
        for (i, (l, chain)) in job.layers.iter().zip(&chains).enumerate() {
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
        let fetched: Vec<(usize, (PendingLayer, u64))> =
            futures_util::stream::iter(missing.into_iter().map(|i| {
                let paths = self.paths().clone();
                async move {
                    fetch::layer(
                        paths,
                        job.client,
                        job.image,
                        job.host,
                        &job.layers[i],
                        &job.diff_ids[i],
                        progress,
                    )
                    .await
                    .map(|l| (i, l))
                }
            }))
            .buffer_unordered(PARALLEL)
            .try_collect()
            .await?;
        let network_bytes = fetched.iter().map(|(_, (_, n))| n).sum();
        let mut slots: Vec<Option<PendingLayer>> = (0..job.layers.len()).map(|_| None).collect();
        for (i, (l, _)) in fetched {
            slots[i] = Some(l);
        }
        let sources = job
            .diff_ids
            .iter()
            .zip(slots)
            .map(|(d, slot)| match slot {
                Some(l) => LayerSource::New(Box::new(l)),
                None => LayerSource::Present(d.clone()),
            })
            .collect();
        Ok((sources, network_bytes))
    }
}
