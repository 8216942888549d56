//! The layer cache: `build-cache/<key>.json` holds the state a step produced, keyed by the
//! sha256 of the parent state's id, the step's history text (which names the command, the
//! build arguments it saw, and for COPY/ADD the content hash of its sources). A hit whose
//! layers were removed since (`rmi`, `image prune`) counts as a miss. Entries are written
//! atomically without fsync: losing one costs a rebuild, never a wrong result.

use super::state::ImageState;
use crate::engine::Engine;
use crate::engine::error::{IoContext, Result};
use crate::engine::image::index::Index;
use crate::engine::image::remove::GcScope;
use crate::engine::store::write_record;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::PathBuf;

/// The cache directory of the engine's state root.
pub fn dir(engine: &Engine) -> PathBuf {
    engine.paths().root.join("build-cache")
}

/// Every cache entry: its file and the state it holds (unreadable entries are skipped).
fn entries(engine: &Engine) -> Vec<(PathBuf, ImageState)> {
    let Ok(rd) = fs::read_dir(dir(engine)) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let state = serde_json::from_slice(&fs::read(&p).ok()?).ok()?;
            Some((p, state))
        })
        .collect()
}

/// The cache key of `step` (its history text plus anything else it depends on) on `parent`.
pub fn key(parent: &ImageState, step: &str) -> String {
    let mut h = Sha256::new();
    h.update(parent.id().as_bytes());
    h.update(b"\n");
    h.update(step.as_bytes());
    hex::encode(h.finalize())
}

/// The cached result of `key`, if it is there and its layers still are.
pub fn get(engine: &Engine, key: &str) -> Option<ImageState> {
    let raw = fs::read(dir(engine).join(format!("{key}.json"))).ok()?;
    let state: ImageState = serde_json::from_slice(&raw).ok()?;
    // Layer directories and their blobs are kept and collected together; a base image
    // pulled over layers already present may lack blobs of its own, so only the
    // directories are checked.
    let complete = state.chains().iter().all(|c| engine.layer_dir(c).is_dir());
    complete.then_some(state)
}

/// Records `state` as the result of `key`.
pub fn put(engine: &Engine, key: &str, state: &ImageState) -> Result<()> {
    let d = dir(engine);
    fs::create_dir_all(&d).at(&d)?;
    let p = d.join(format!("{key}.json"));
    write_record(&p, state).map_err(Into::into)
}

/// What `builder prune` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CachePruned {
    /// Cache entries removed.
    pub entries: usize,
    /// Their keys (the cache objects `builder prune` reports).
    pub keys: Vec<String>,
    /// Layers no image or container uses any more, removed with them.
    pub layers: Vec<String>,
    /// Bytes their files held.
    pub reclaimed: u64,
}

impl Engine {
    /// `builder prune`: forgets every cache entry and deletes the layers and blobs that
    /// only the cache kept (no image or container uses them).
    pub fn prune_build_cache(&self) -> Result<CachePruned> {
        let d = dir(self);
        let mut out = CachePruned::default();
        if d.is_dir() {
            for e in fs::read_dir(&d).at(&d)? {
                let p = e.at(&d)?.path();
                if p.extension().is_some_and(|x| x == "json") {
                    fs::remove_file(&p).at(&p)?;
                    out.entries += 1;
                    if let Some(k) = p.file_stem() {
                        out.keys.push(k.to_string_lossy().into_owned());
                    }
                }
            }
        }
        let users = self.containers()?;
        let _lock = Index::lock(self.paths())?;
        let index = Index::load(self.paths())?;
        let (layers, bytes) = self.collect_garbage(&index, &users, &GcScope::default())?;
        out.layers = layers;
        out.reclaimed = bytes;
        Ok(out)
    }
}

impl Engine {
    /// For `rmi` of an image whose layers were `removed` (chain ids; the image is already out
    /// of `index`): forgets the cache entries that are its own parents — the steps whose
    /// layers are a prefix of its layers — unless another image or another build's entry
    /// builds on them, as Docker deletes an image's untagged parents that have no other
    /// child. Returns what the garbage collection may delete (those layers) and must keep
    /// (whatever the remaining entries use). Call with the index lock held.
    pub(crate) fn forget_build_parents(
        &self,
        removed: &[String],
        index: &Index,
    ) -> Result<GcScope> {
        let all = entries(self);
        let is_prefix = |a: &[String], b: &[String]| b.starts_with(a);
        let (own, others): (Vec<_>, Vec<_>) = all
            .into_iter()
            .map(|(p, s)| (p, s.chains(), s))
            .partition(|(_, chains, _)| is_prefix(chains, removed));
        let mut scope = GcScope {
            only: Some(removed.iter().cloned().collect()),
            ..GcScope::default()
        };
        let mut kept = others;
        for (p, chains, state) in own {
            let has_child = index.images.values().any(|r| is_prefix(&chains, &r.layers))
                || kept
                    .iter()
                    .any(|(_, c, _)| c.len() > chains.len() && is_prefix(&chains, c));
            if has_child {
                kept.push((p, chains, state));
            } else {
                fs::remove_file(&p).at(&p)?;
                if let Some(o) = scope.only.as_mut() {
                    o.extend(chains);
                }
            }
        }
        for (_, chains, state) in kept {
            scope.keep_layers.extend(chains);
            scope
                .keep_blobs
                .extend(state.layers.iter().map(|l| l.digest.clone()));
        }
        Ok(scope)
    }
}

/// What the build cache holds, for `system df`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheUsage {
    /// Cache entries (one per step built).
    pub entries: usize,
    /// Bytes of the layers only the cache keeps (no image uses them): what
    /// `builder prune` would free, unless a container uses one.
    pub size: u64,
}

impl Engine {
    /// Counts the cache entries and the layers only they keep.
    pub fn build_cache_usage(&self) -> Result<CacheUsage> {
        let d = dir(self);
        let entries = match fs::read_dir(&d) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count(),
            Err(_) => 0,
        };
        let index = Index::load(self.paths())?;
        let used: std::collections::HashSet<&String> = index
            .images
            .values()
            .flat_map(|r| r.layers.iter())
            .collect();
        let layers = self.paths().layers();
        let mut size = 0;
        if entries > 0 {
            for e in fs::read_dir(&layers).at(&layers)?.filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().into_owned();
                if !used.contains(&name) {
                    size += crate::engine::image::layers::layer_size(self.paths(), &name);
                }
            }
        }
        Ok(CacheUsage { entries, size })
    }
}
