//! `load`: images from a docker-archive tarball, either the legacy docker-save shape
//! (`manifest.json`, `<id>.json`, `<id>/layer.tar`, `repositories`) or the current one (an
//! OCI layout whose `manifest.json` points into `blobs/sha256/`), or a plain OCI layout.
//!
//! The archive is first spooled into a private staging directory as flat files (symlinks
//! inside the archive are resolved by name, never on disk), then every image is checked:
//! blob names must match their sha256, layer contents must match the config's diff ids.
//! Nothing is stored or tagged unless the whole image checks out.

use super::blobs::{HashingReader, TeeReader, digest_of, hex_of};
use super::commit::{PendingImage, PendingLayer};
use super::document::{self, Kind};
use super::layers::{StagedLayer, decompress};
use super::manifest::{LayerDescriptor, oci_manifest};
use super::reference::Reference;
use super::unpack::clean_path;
use crate::engine::Engine;
use crate::engine::error::{EngineError, IoContext, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One image `load` stored.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Its id.
    pub id: crate::engine::ImageId,
    /// The references now pointing at it.
    pub refs: Vec<String>,
}

fn bad(msg: impl std::fmt::Display) -> EngineError {
    EngineError::Invalid(format!("invalid image archive: {msg}"))
}

/// The archive's files, spooled to disk, by cleaned path.
struct Spool {
    dir: PathBuf,
    files: HashMap<String, PathBuf>,
    links: HashMap<String, String>,
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Spool {
    fn read_from(input: &mut dyn Read, dir: PathBuf) -> Result<Spool> {
        fs::create_dir_all(&dir).at(&dir)?;
        let mut spool = Spool {
            dir,
            files: HashMap::new(),
            links: HashMap::new(),
        };
        let mut archive = tar::Archive::new(input);
        for (n, entry) in archive.entries().map_err(bad)?.enumerate() {
            let mut entry = entry.map_err(bad)?;
            let name = join(&clean_path(&entry.path_bytes())?);
            match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let p = spool.dir.join(format!("f{n}"));
                    let mut f = File::create(&p).at(&p)?;
                    io::copy(&mut entry, &mut f).map_err(bad)?;
                    spool.files.insert(name, p);
                }
                tar::EntryType::Symlink | tar::EntryType::Link => {
                    let target = entry
                        .link_name_bytes()
                        .map(|t| String::from_utf8_lossy(&t).into_owned())
                        .unwrap_or_default();
                    let resolved = if entry.header().entry_type() == tar::EntryType::Link {
                        target
                    } else {
                        let parent = name.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                        format!("{parent}/{target}")
                    };
                    let cleaned = join(&clean_path(resolved.as_bytes())?);
                    spool.links.insert(name, cleaned);
                }
                _ => {}
            }
        }
        Ok(spool)
    }

    /// The spooled file for an archive path, following links inside the archive.
    fn find(&self, path: &str) -> Result<&Path> {
        let mut cur = join(&clean_path(path.as_bytes())?);
        for _ in 0..16 {
            if let Some(p) = self.files.get(&cur) {
                return Ok(p);
            }
            match self.links.get(&cur) {
                Some(next) => cur = next.clone(),
                None => break,
            }
        }
        Err(bad(format!("'{path}' is missing")))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let p = self.find(path)?;
        fs::read(p).at(p)
    }

    fn has(&self, path: &str) -> bool {
        self.find(path).is_ok()
    }
}

fn join(comps: &[std::ffi::OsString]) -> String {
    comps
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// If `path` names its content by digest (`blobs/sha256/<hex>`, `<hex>.json`), that digest.
fn digest_in_name(path: &str) -> Option<String> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let base = base.strip_suffix(".json").unwrap_or(base);
    hex_of(base).ok().map(|h| format!("sha256:{h}"))
}

/// One image to load: its config and layer paths inside the archive, and its references.
struct Entry {
    config: String,
    layers: Vec<String>,
    refs: Vec<String>,
}

fn entries(spool: &Spool) -> Result<Vec<Entry>> {
    if spool.has("manifest.json") {
        let m: Vec<Value> = serde_json::from_slice(&spool.read("manifest.json")?).map_err(bad)?;
        return m
            .into_iter()
            .map(|e| {
                let config = e["Config"]
                    .as_str()
                    .ok_or_else(|| bad("manifest.json entry without Config"))?
                    .to_string();
                let layers: Vec<String> = e["Layers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| {
                        l.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| bad("bad Layers"))
                    })
                    .collect::<Result<_>>()?;
                document::check_layer_count(layers.len(), &config)?;
                let refs = e["RepoTags"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect();
                Ok(Entry {
                    config,
                    layers,
                    refs,
                })
            })
            .collect();
    }
    if !spool.has("index.json") {
        return Err(bad("neither manifest.json nor index.json found"));
    }
    // A plain OCI layout.
    let (kind, index) = document::classify(&spool.read("index.json")?, "index.json")?;
    if kind != Kind::Index {
        return Err(bad("index.json is not an image index"));
    }
    let blob_path = |d: &str| -> Result<String> { Ok(format!("blobs/sha256/{}", hex_of(d)?)) };
    let mut out = Vec::new();
    for desc in index["manifests"].as_array().into_iter().flatten() {
        let digest = desc["digest"]
            .as_str()
            .ok_or_else(|| bad("index without digest"))?;
        let raw = spool.read(&blob_path(digest)?)?;
        if digest_of(&raw) != digest {
            return Err(bad(format!(
                "manifest '{digest}' does not match its digest"
            )));
        }
        let (kind, m) = document::classify(&raw, digest)?;
        if kind != Kind::Manifest {
            return Err(bad(format!(
                "'{digest}' is a nested index, which berth cannot load"
            )));
        }
        document::check_image_manifest(&m, digest)?;
        let config = blob_path(m["config"]["digest"].as_str().unwrap_or_default())?;
        let layers = m["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| blob_path(l["digest"].as_str().unwrap_or_default()))
            .collect::<Result<_>>()?;
        let refs = desc["annotations"]["io.containerd.image.name"]
            .as_str()
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        out.push(Entry {
            config,
            layers,
            refs,
        });
    }
    Ok(out)
}

fn media_type(path: &Path) -> Result<&'static str> {
    let mut head = [0u8; 4];
    let n = File::open(path).at(path)?.read(&mut head).at(path)?;
    Ok(match &head[..n] {
        [0x1f, 0x8b, ..] => "application/vnd.oci.image.layer.v1.tar+gzip",
        [0x28, 0xb5, 0x2f, 0xfd] => "application/vnd.oci.image.layer.v1.tar+zstd",
        _ => "application/vnd.oci.image.layer.v1.tar",
    })
}

impl Engine {
    /// Loads every image in the archive read from `input`.
    pub fn load_images(&self, input: &mut dyn Read) -> Result<Vec<Loaded>> {
        let dir = self.paths().scratch("load");
        let spool = Spool::read_from(input, dir)?;
        let mut out = Vec::new();
        for e in entries(&spool)? {
            out.push(self.load_one(&spool, &e)?);
        }
        Ok(out)
    }

    fn load_one(&self, spool: &Spool, e: &Entry) -> Result<Loaded> {
        let refs = e
            .refs
            .iter()
            .map(|r| Reference::parse(r))
            .collect::<Result<Vec<_>>>()?;
        let config = spool.read(&e.config)?;
        if let Some(want) = digest_in_name(&e.config)
            && want != digest_of(&config)
        {
            return Err(bad(format!(
                "config '{}' does not match its digest '{want}'",
                e.config
            )));
        }
        let mut layers = Vec::new();
        let mut descriptors = Vec::new();
        for path in &e.layers {
            let file_path = spool.find(path)?;
            let mut blob = self.blobs().writer()?;
            let expected = if path.starts_with("blobs/") {
                digest_in_name(path)
            } else {
                None
            };
            let staged = {
                let file = File::open(file_path).at(file_path)?;
                let mut tee = TeeReader::new(file, &mut blob);
                let (staged, diff_id) = {
                    let mut plain = HashingReader::new(decompress(&mut tee)?);
                    let staged = StagedLayer::unpack(self.paths(), &mut plain)?;
                    let (diff_id, _) = plain.finish().map_err(bad)?;
                    (staged, diff_id)
                };
                io::copy(&mut tee, &mut io::sink()).map_err(bad)?;
                let mut staged = staged;
                staged.diff_id = diff_id;
                staged
            };
            descriptors.push(LayerDescriptor {
                media_type: media_type(file_path)?.to_string(),
                digest: blob.digest(),
                size: blob.size(),
            });
            layers.push(PendingLayer {
                blob,
                expected,
                staged,
            });
        }
        let manifest = oci_manifest(&config, &descriptors);
        let id = self.commit_image(
            PendingImage {
                config,
                manifest,
                layers,
                repo_digests: Vec::new(),
            },
            &refs,
        )?;
        Ok(Loaded {
            id: crate::engine::ImageId::from_trusted(id),
            refs: refs.iter().map(|r| r.to_string()).collect(),
        })
    }
}
