//! `tag`, `rmi` and `image prune`: changing references, deleting images, and collecting the
//! blobs and layer directories no image (and no container) uses any more.

use super::index::Index;
use super::layers::layer_size;
use super::reference::Reference;
use super::resolve;
use crate::engine::container::Container;
use crate::engine::error::{EngineError, Result};
use crate::engine::ids::short_id;
use crate::engine::{Engine, ImageId};
use std::collections::HashSet;

/// One thing `rmi` or `prune` did, printed as Docker does (`Untagged: x`, `Deleted: sha256:...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A reference was removed.
    Untagged(String),
    /// An image (by id) or a layer (by chain id) was deleted.
    Deleted(String),
}

impl std::fmt::Display for Removed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Removed::Untagged(r) => write!(f, "Untagged: {r}"),
            Removed::Deleted(d) => write!(f, "Deleted: {d}"),
        }
    }
}

/// What a garbage collection may delete besides what no image or container uses: by
/// default every such layer; `rmi` narrows it to the removed image's own layers and keeps
/// what the build cache still holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct GcScope {
    /// Only these layers (chain ids) may be deleted; None: any unused one.
    pub only: Option<HashSet<String>>,
    /// Layers (chain ids) to keep even if no image or container uses them.
    pub keep_layers: HashSet<String>,
    /// Blobs (`sha256:` digests) to keep even if no image uses them.
    pub keep_blobs: HashSet<String>,
}

/// What `prune_images` did.
#[derive(Debug, Clone, Default)]
pub struct Pruned {
    /// What was untagged and deleted, in order.
    pub removed: Vec<Removed>,
    /// Bytes of layers freed.
    pub reclaimed: u64,
}

fn short(id: &str) -> &str {
    short_id(id.trim_start_matches("sha256:"))
}

impl Engine {
    /// Containers (any state) created from image `id`.
    pub fn image_users(&self, id: &ImageId) -> Result<Vec<Container>> {
        Ok(self
            .containers()?
            .into_iter()
            .filter(|c| c.config.image_id == *id)
            .collect())
    }

    /// Whether any container uses image `id`.
    pub fn image_in_use(&self, id: &ImageId) -> Result<bool> {
        Ok(!self.image_users(id)?.is_empty())
    }

    /// Points reference `target` at the image `source` names.
    pub fn tag_image(&self, source: &str, target: &str) -> Result<()> {
        let r = Reference::parse(target)?;
        let _lock = Index::lock(self.paths())?;
        let mut index = Index::load(self.paths())?;
        let id = resolve(&index, source)?;
        let manifest = index
            .images
            .get(&id)
            .map(|rec| rec.manifest.clone())
            .ok_or_else(|| EngineError::NoSuchImage(source.to_string()))?;
        index.references.insert(r.to_string(), manifest);
        index.save(self.paths())
    }

    /// `rmi`: untags `name` if it is one of several references, else deletes the image.
    /// Refuses an image used by a container (a running one even with `force`), and an id
    /// with several references unless `force`.
    pub fn remove_image(&self, name: &str, force: bool) -> Result<Vec<Removed>> {
        let users = self.containers()?;
        let _lock = Index::lock(self.paths())?;
        let mut index = Index::load(self.paths())?;
        let id = resolve(&index, name)?;
        let tags = index.tags_of(&id);
        let by_ref = Reference::parse(name)
            .ok()
            .map(|r| r.to_string())
            .filter(|r| tags.contains(r));
        let mut out = Vec::new();
        if let Some(r) = &by_ref
            && tags.len() > 1
        {
            index.references.remove(r);
            index.save(self.paths())?;
            return Ok(vec![Removed::Untagged(r.clone())]);
        }
        if by_ref.is_none() && tags.len() > 1 && !force {
            return Err(EngineError::Conflict(format!(
                "conflict: unable to delete '{}' (must be forced) - image is referenced in multiple repositories",
                short(&id)
            )));
        }
        let using: Vec<&Container> = users.iter().filter(|c| c.config.image_id == id).collect();
        if let Some(c) = using.iter().find(|c| c.state.status.has_shim()) {
            return Err(EngineError::Conflict(format!(
                "conflict: unable to delete '{}' (cannot be forced) - image is being used by running container '{}'",
                short(&id),
                c.id().short()
            )));
        }
        if let Some(c) = using.first()
            && !force
        {
            return Err(EngineError::Conflict(format!(
                "conflict: unable to delete '{}' (must be forced) - image is being used by stopped container '{}': remove the container first or use -f",
                short(&id),
                c.id().short()
            )));
        }
        for t in &tags {
            index.references.remove(t);
            out.push(Removed::Untagged(t.clone()));
        }
        let record = index.images.remove(&id);
        index.save(self.paths())?;
        out.push(Removed::Deleted(id));
        // As Docker: the image and its own untagged parents (the build steps that made it)
        // that nothing else uses; other images' layers and other builds' cache stay.
        let own = record.map(|r| r.layers).unwrap_or_default();
        let scope = self.forget_build_parents(&own, &index)?;
        let (layers, _) = self.collect_garbage(&index, &users, &scope)?;
        out.extend(
            layers
                .into_iter()
                .map(|l| Removed::Deleted(format!("sha256:{l}"))),
        );
        Ok(out)
    }

    /// `image prune`: deletes dangling images (every unused one with `all`) that no
    /// container uses, then what only they used.
    pub fn prune_images(&self, all: bool) -> Result<Pruned> {
        let users = self.containers()?;
        let used: HashSet<&str> = users.iter().map(|c| c.config.image_id.as_str()).collect();
        let _lock = Index::lock(self.paths())?;
        let mut index = Index::load(self.paths())?;
        let mut out = Pruned::default();
        let ids: Vec<String> = index.images.keys().cloned().collect();
        for id in ids {
            let tags = index.tags_of(&id);
            if used.contains(id.as_str()) || (!all && !tags.is_empty()) {
                continue;
            }
            for t in tags {
                index.references.remove(&t);
                out.removed.push(Removed::Untagged(t));
            }
            index.images.remove(&id);
            out.removed.push(Removed::Deleted(id));
        }
        index.save(self.paths())?;
        let (layers, bytes) = self.collect_garbage(&index, &users, &GcScope::default())?;
        out.removed.extend(
            layers
                .into_iter()
                .map(|l| Removed::Deleted(format!("sha256:{l}"))),
        );
        out.reclaimed = bytes;
        Ok(out)
    }

    /// Deletes blobs and layer directories that no image in `index` and no container in
    /// `users` refers to, within `scope`. Call with the index lock held. Returns the removed
    /// chain ids and the bytes their layers held.
    pub(crate) fn collect_garbage(
        &self,
        index: &Index,
        users: &[Container],
        scope: &GcScope,
    ) -> Result<(Vec<String>, u64)> {
        let blobs = self.blobs();
        let mut keep_blobs: HashSet<String> = scope.keep_blobs.clone();
        let mut keep_layers: HashSet<String> = scope.keep_layers.clone();
        for (id, rec) in &index.images {
            keep_blobs.insert(id.clone());
            keep_blobs.insert(rec.manifest.clone());
            keep_layers.extend(rec.layers.iter().cloned());
            // Layer blobs are named in the manifest.
            if let Ok(raw) = blobs.read(&rec.manifest)
                && let Ok(m) = serde_json::from_slice::<serde_json::Value>(&raw)
            {
                for l in m["layers"].as_array().into_iter().flatten() {
                    if let Some(d) = l["digest"].as_str() {
                        keep_blobs.insert(d.to_string());
                    }
                }
            }
        }
        for c in users {
            keep_layers.extend(c.config.layers.iter().cloned());
        }
        for d in blobs.list()? {
            if !keep_blobs.contains(&d) {
                blobs.remove(&d)?;
            }
        }
        let mut removed = Vec::new();
        let mut bytes = 0;
        let dir = self.paths().layers();
        for e in std::fs::read_dir(&dir).map_err(|e| EngineError::io(&dir, e))? {
            let e = e.map_err(|e| EngineError::io(&dir, e))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if keep_layers.contains(&name)
                || scope.only.as_ref().is_some_and(|o| !o.contains(&name))
            {
                continue;
            }
            bytes += layer_size(self.paths(), &name);
            super::links::remove_link(self.paths(), &name);
            let p = e.path();
            std::fs::remove_dir_all(&p).map_err(|e| EngineError::io(&p, e))?;
            removed.push(name);
        }
        Ok((removed, bytes))
    }
}
