//! COPY and ADD: the resolved sources placed at the destination with Docker's rules (a
//! destination ending in `/`, several sources, or an existing directory means "into";
//! a directory source copies its contents), owners `0:0` unless `--chown`, modes kept unless
//! `--chmod`, and ADD of a local tar archive extracted. One walk serves both the cache's
//! content hash (content, modes and names; never mtimes) and the layer tar.

use super::context::{Source, Tree};
use crate::engine::build::BuildFault;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::image::blobs::{BlobWriter, HashingReader};
use crate::engine::image::layers::decompress;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// What one COPY/ADD puts where.
pub struct CopyPlan<'a> {
    /// Sources from the context or a stage.
    pub sources: Vec<Source>,
    /// Inline files from heredocs: (name, content).
    pub inline: Vec<(String, String)>,
    /// The tree the sources come from (for `.dockerignore` inside directories).
    pub tree: &'a Tree,
    /// Absolute destination in the image.
    pub dest: String,
    /// Whether the destination is a directory to copy into.
    pub dest_is_dir: bool,
    /// `--chown` as numeric ids.
    pub owner: Option<(u64, u64)>,
    /// `--chmod`.
    pub mode: Option<u32>,
    /// ADD: extract local tar archives.
    pub extract: bool,
}

enum Item<'a> {
    Dir(&'a fs::Metadata),
    File(&'a Path, &'a fs::Metadata),
    Link(PathBuf, &'a fs::Metadata),
    Inline(&'a str),
    Archive(&'a Path),
}

fn join(dir: &str, name: &str) -> String {
    format!("{}/{}", dir.trim_end_matches('/'), name)
}

impl CopyPlan<'_> {
    fn visit(&self, f: &mut dyn FnMut(&str, Item) -> Result<()>) -> Result<()> {
        for s in &self.sources {
            let meta = fs::metadata(&s.host).at(&s.host)?;
            if meta.is_dir() {
                self.walk_dir(&s.host, &s.rel, &self.dest, f)?;
                continue;
            }
            if self.extract && is_archive(&s.host) {
                f(&self.dest, Item::Archive(&s.host))?;
                continue;
            }
            let base = s.rel.rsplit('/').next().unwrap_or_default();
            let target = if self.dest_is_dir {
                join(&self.dest, base)
            } else {
                self.dest.clone()
            };
            f(&target, Item::File(&s.host, &meta))?;
        }
        for (name, body) in &self.inline {
            let target = if self.dest_is_dir {
                join(&self.dest, name)
            } else {
                self.dest.clone()
            };
            f(&target, Item::Inline(body))?;
        }
        Ok(())
    }

    fn walk_dir(
        &self,
        host: &Path,
        rel: &str,
        target: &str,
        f: &mut dyn FnMut(&str, Item) -> Result<()>,
    ) -> Result<()> {
        let mut names: Vec<String> = fs::read_dir(host)
            .at(host)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<_>>()
            .at(host)?;
        names.sort();
        for name in names {
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let child = host.join(&name);
            let meta = fs::symlink_metadata(&child).at(&child)?;
            let excluded = self.tree.excluded(&child_rel);
            if excluded && !(meta.is_dir() && self.tree.ignore.may_reinclude_below(&child_rel)) {
                continue;
            }
            let t = join(target, &name);
            if meta.is_dir() {
                if !excluded {
                    f(&t, Item::Dir(&meta))?;
                }
                self.walk_dir(&child, &child_rel, &t, f)?;
            } else if excluded {
                continue;
            } else if meta.file_type().is_symlink() {
                f(&t, Item::Link(fs::read_link(&child).at(&child)?, &meta))?;
            } else if meta.is_file() {
                f(&t, Item::File(&child, &meta))?;
            } else if meta.file_type().is_fifo() || meta.file_type().is_socket() {
                continue;
            }
        }
        Ok(())
    }

    /// The content hash of what this COPY puts where (for the cache key).
    pub fn hash(&self) -> Result<String> {
        let mut h = Sha256::new();
        self.visit(&mut |target, item| {
            h.update(target.as_bytes());
            h.update([0]);
            let meta_of = |m: &fs::Metadata| format!("{:o}", m.mode() & 0o7777);
            match item {
                Item::Dir(m) => h.update(format!("d{}", meta_of(m))),
                Item::Link(t, _) => h.update(format!("l{}", t.display())),
                Item::Inline(body) => h.update(format!("i{body}")),
                Item::File(p, m) => {
                    h.update(format!("f{}", meta_of(m)));
                    h.update(file_digest(p)?);
                }
                Item::Archive(p) => {
                    h.update("a");
                    h.update(file_digest(p)?);
                }
            }
            h.update([0]);
            Ok(())
        })?;
        h.update(format!("{:?}{:?}", self.owner, self.mode));
        Ok(hex::encode(h.finalize()))
    }

    /// Writes the layer: parents of the destination (as the image has them, else 0755
    /// root), then every item. `existing` gives the image's metadata of a path.
    pub fn write(
        &self,
        tar: &mut tar::Builder<BlobWriter>,
        existing: &dyn Fn(&str) -> Option<fs::Metadata>,
    ) -> Result<()> {
        let mut dirs: HashSet<String> = HashSet::new();
        let (uid, gid) = self.owner.unwrap_or((0, 0));
        if self.sources.iter().any(|s| s.is_dir) || self.dest_is_dir {
            // The destination directory exists even when nothing is copied into it.
            parents(tar, &join(&self.dest, "x"), &mut dirs, existing)?;
        }
        self.visit(&mut |target, item| {
            parents(tar, target, &mut dirs, existing)?;
            let name = target.trim_start_matches('/');
            let mut h = tar::Header::new_gnu();
            let err = |source: std::io::Error| -> EngineError {
                BuildFault::LayerEntry {
                    at: target.to_string(),
                    source,
                }
                .into()
            };
            match item {
                Item::Archive(p) => return extract(tar, p, target, &mut dirs, existing),
                Item::Inline(body) => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(body.len() as u64);
                    h.set_mode(self.mode.unwrap_or(0o644));
                    h.set_mtime(now());
                    h.set_uid(uid);
                    h.set_gid(gid);
                    return tar.append_data(&mut h, name, body.as_bytes()).map_err(err);
                }
                Item::Dir(m) | Item::File(_, m) | Item::Link(_, m) => {
                    h.set_metadata_in_mode(m, tar::HeaderMode::Complete);
                }
            }
            h.set_uid(uid);
            h.set_gid(gid);
            if let (Some(mode), false) = (self.mode, matches!(item, Item::Link(..))) {
                h.set_mode(mode);
            }
            match item {
                Item::Dir(_) => {
                    dirs.insert(name.to_string());
                    h.set_size(0);
                    tar.append_data(&mut h, name, std::io::empty()).map_err(err)
                }
                Item::Link(t, _) => {
                    h.set_size(0);
                    tar.append_link(&mut h, name, &t).map_err(err)
                }
                Item::File(p, _) => {
                    let f = fs::File::open(p).at(p)?;
                    tar.append_data(&mut h, name, f).map_err(err)
                }
                _ => Ok(()),
            }
        })
    }
}

fn file_digest(p: &Path) -> Result<String> {
    let f = fs::File::open(p).at(p)?;
    let (d, _) = HashingReader::new(f).finish().at(p)?;
    Ok(d)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Writes directory entries for the parents of `target` not written yet.
fn parents(
    tar: &mut tar::Builder<BlobWriter>,
    target: &str,
    dirs: &mut HashSet<String>,
    existing: &dyn Fn(&str) -> Option<fs::Metadata>,
) -> Result<()> {
    let parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    for n in 1..parts.len() {
        let dir = parts[..n].join("/");
        if !dirs.insert(dir.clone()) {
            continue;
        }
        let mut h = tar::Header::new_gnu();
        match existing(&dir) {
            Some(m) if m.is_dir() => h.set_metadata_in_mode(&m, tar::HeaderMode::Complete),
            _ => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_mtime(now());
                h.set_uid(0);
                h.set_gid(0);
            }
        }
        h.set_size(0);
        tar.append_data(&mut h, &dir, std::io::empty())
            .map_err(|source| BuildFault::LayerEntry {
                at: format!("/{dir}"),
                source,
            })?;
    }
    Ok(())
}

/// Whether `p` is a tar archive (plain, gzip or zstd), as ADD decides what to extract.
pub fn is_archive(p: &Path) -> bool {
    let Ok(f) = fs::File::open(p) else {
        return false;
    };
    let Ok(mut r) = decompress(f) else {
        return false;
    };
    let mut head = [0u8; 512];
    if r.read_exact(&mut head).is_err() {
        return false;
    }
    &head[257..262] == b"ustar"
}

/// Copies the entries of archive `p` under directory `dest`, refusing paths that climb out.
fn extract(
    tar: &mut tar::Builder<BlobWriter>,
    p: &Path,
    dest: &str,
    dirs: &mut HashSet<String>,
    existing: &dyn Fn(&str) -> Option<fs::Metadata>,
) -> Result<()> {
    let bad = |why: String| EngineError::Invalid(format!("ADD archive '{}': {why}", p.display()));
    let f = fs::File::open(p).at(p)?;
    let mut archive = tar::Archive::new(decompress(f)?);
    parents(tar, &join(dest, "x"), dirs, existing)?;
    for entry in archive.entries().map_err(|e| bad(e.to_string()))? {
        let mut entry = entry.map_err(|e| bad(e.to_string()))?;
        let path = entry.path().map_err(|e| bad(e.to_string()))?.into_owned();
        let mut clean = Vec::new();
        for c in path.components() {
            match c {
                std::path::Component::Normal(s) => clean.push(s.to_string_lossy().into_owned()),
                std::path::Component::ParentDir => {
                    return Err(bad(format!(
                        "entry '{}' climbs out of the destination",
                        path.display()
                    )));
                }
                _ => {}
            }
        }
        if clean.is_empty() {
            continue;
        }
        let target = join(dest, &clean.join("/"));
        parents(tar, &target, dirs, existing)?;
        let name = target.trim_start_matches('/').to_string();
        let mut h = entry.header().clone();
        let err = |e: std::io::Error| bad(e.to_string());
        match h.entry_type() {
            tar::EntryType::Symlink => {
                let t = entry
                    .link_name()
                    .map_err(err)?
                    .unwrap_or_default()
                    .into_owned();
                tar.append_link(&mut h, &name, t).map_err(err)?;
            }
            tar::EntryType::Link => {
                let t = entry
                    .link_name()
                    .map_err(err)?
                    .unwrap_or_default()
                    .into_owned();
                let t = join(dest, &t.to_string_lossy())
                    .trim_start_matches('/')
                    .to_string();
                tar.append_link(&mut h, &name, t).map_err(err)?;
            }
            tar::EntryType::Directory => {
                dirs.insert(name.clone());
                tar.append_data(&mut h, &name, std::io::empty())
                    .map_err(err)?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                tar.append_data(&mut h, &name, &mut entry).map_err(err)?;
            }
            _ => {}
        }
    }
    Ok(())
}
