//! `save`: images to a docker-archive tarball in the current Docker (25+) shape, which is an
//! OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/...`) plus Docker's own
//! `manifest.json` and `repositories` pointing into the same blobs.

use super::ImageError;
use super::index::Index;
use super::reference::Reference;
use super::resolve;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

fn tar_err(e: std::io::Error) -> EngineError {
    ImageError::Archive(e).into()
}

fn header(size: u64, dir: bool) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(if dir { 0o755 } else { 0o644 });
    h.set_entry_type(if dir {
        tar::EntryType::Directory
    } else {
        tar::EntryType::Regular
    });
    h.set_mtime(0);
    h.set_uid(0);
    h.set_gid(0);
    h
}

fn add_bytes<W: Write>(b: &mut tar::Builder<W>, path: &str, data: &[u8]) -> Result<()> {
    let mut h = header(data.len() as u64, false);
    b.append_data(&mut h, path, data).map_err(tar_err)
}

impl Engine {
    /// Writes the images `names` (references or ids) as one tar archive to `out`. Images
    /// named by reference carry that reference; images named by id carry none.
    pub fn save_images(&self, names: &[String], out: &mut dyn Write) -> Result<()> {
        let index = Index::load(self.paths())?;
        // Image id -> references to record, in the order first named.
        let mut order: Vec<String> = Vec::new();
        let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in names {
            let id = resolve(&index, name)?;
            if !order.contains(&id) {
                order.push(id.clone());
            }
            let entry = tags.entry(id.clone()).or_default();
            if let Ok(r) = Reference::parse(name)
                && index.tags_of(&id).contains(&r.to_string())
                && !entry.contains(&r.to_string())
            {
                entry.push(r.to_string());
            }
        }
        let blobs = self.blobs();
        let mut builder = tar::Builder::new(out);
        let mut written: Vec<String> = Vec::new();
        let mut docker_manifest: Vec<Value> = Vec::new();
        let mut oci_manifests: Vec<Value> = Vec::new();
        let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        builder
            .append_data(&mut header(0, true), "blobs/", std::io::empty())
            .map_err(tar_err)?;
        builder
            .append_data(&mut header(0, true), "blobs/sha256/", std::io::empty())
            .map_err(tar_err)?;
        for id in &order {
            let rec = index
                .images
                .get(id)
                .ok_or_else(|| EngineError::NoSuchImage(id.clone()))?;
            let manifest_raw = blobs.read(&rec.manifest)?;
            let manifest: Value = serde_json::from_slice(&manifest_raw).map_err(|source| {
                ImageError::BadManifest {
                    id: id.clone(),
                    source,
                }
            })?;
            let mut layer_paths = Vec::new();
            let mut digests: Vec<String> = vec![id.clone(), rec.manifest.clone()];
            for l in manifest["layers"].as_array().into_iter().flatten() {
                let d = l["digest"].as_str().unwrap_or_default().to_string();
                layer_paths.push(format!("blobs/sha256/{}", super::blobs::hex_of(&d)?));
                digests.push(d);
            }
            for d in digests {
                if written.contains(&d) {
                    continue;
                }
                let path = blobs.path(&d)?;
                let file = blobs.open(&d)?;
                let size = file
                    .metadata()
                    .map_err(|e| EngineError::io(&path, e))?
                    .len();
                let name = format!("blobs/sha256/{}", super::blobs::hex_of(&d)?);
                builder
                    .append_data(&mut header(size, false), &name, file)
                    .map_err(tar_err)?;
                written.push(d);
            }
            let refs = tags.get(id).cloned().unwrap_or_default();
            let desc = |annotations: Option<Value>| {
                let mut d = json!({
                    "mediaType": manifest["mediaType"].as_str()
                        .unwrap_or(super::manifest::OCI_MANIFEST),
                    "digest": rec.manifest,
                    "size": manifest_raw.len(),
                });
                if let Some(a) = annotations {
                    d["annotations"] = a;
                }
                d
            };
            if refs.is_empty() {
                oci_manifests.push(desc(None));
            }
            for r in &refs {
                let parsed = Reference::parse(r)?;
                oci_manifests.push(desc(Some(json!({
                    "io.containerd.image.name": format!("{}:{}", parsed.full_name(), parsed.tag),
                    "org.opencontainers.image.ref.name": parsed.tag,
                }))));
                if let Some(top) = layer_paths.last() {
                    repositories.entry(parsed.name.clone()).or_default().insert(
                        parsed.tag.clone(),
                        top.trim_start_matches("blobs/sha256/").to_string(),
                    );
                }
            }
            docker_manifest.push(json!({
                "Config": format!("blobs/sha256/{}", super::blobs::hex_of(id)?),
                "RepoTags": if refs.is_empty() { Value::Null } else { json!(refs) },
                "Layers": layer_paths,
            }));
        }
        let to_vec = |v: &Value| {
            serde_json::to_vec(v).map_err(|source| ImageError::Encode {
                what: "archive index",
                source,
            })
        };
        add_bytes(
            &mut builder,
            "index.json",
            &to_vec(&json!({
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": oci_manifests,
            }))?,
        )?;
        add_bytes(
            &mut builder,
            "manifest.json",
            &to_vec(&json!(docker_manifest))?,
        )?;
        add_bytes(
            &mut builder,
            "oci-layout",
            br#"{"imageLayoutVersion":"1.0.0"}"#,
        )?;
        if !repositories.is_empty() {
            add_bytes(&mut builder, "repositories", &to_vec(&json!(repositories))?)?;
        }
        builder.finish().map_err(tar_err)?;
        Ok(())
    }
}
