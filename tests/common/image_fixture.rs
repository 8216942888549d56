//! Builders for the tarballs image tests feed to berth, including hostile ones that the
//! `tar` crate's safe builder would refuse to write.

#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::path::Path;

/// One entry of a test tarball.
pub enum Item<'a> {
    /// A directory.
    Dir(&'a str),
    /// A regular file with its content.
    File(&'a str, &'a [u8]),
    /// A symlink: name, target.
    Symlink(&'a str, &'a str),
    /// A hardlink: name, target.
    Hardlink(&'a str, &'a str),
    /// A character device: name, major, minor.
    CharDev(&'a str, u32, u32),
}

fn raw_header(
    kind: tar::EntryType,
    name: &str,
    link: Option<&str>,
    size: u64,
    mode: u32,
) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    // Written byte for byte: no checks, so `../x` and `/etc/x` go in as they are.
    let gnu = h.as_gnu_mut().expect("gnu header");
    gnu.name = [0; 100];
    gnu.name[..name.len()].copy_from_slice(name.as_bytes());
    if let Some(l) = link {
        gnu.linkname = [0; 100];
        gnu.linkname[..l.len()].copy_from_slice(l.as_bytes());
    }
    h.set_cksum();
    h
}

/// An uncompressed tar of `items`, in order.
pub fn tar_of(items: &[Item<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for item in items {
        match item {
            Item::Dir(n) => {
                let h = raw_header(tar::EntryType::Directory, n, None, 0, 0o755);
                b.append(&h, std::io::empty()).expect("append");
            }
            Item::File(n, data) => {
                let h = raw_header(tar::EntryType::Regular, n, None, data.len() as u64, 0o644);
                b.append(&h, *data).expect("append");
            }
            Item::Symlink(n, t) => {
                let h = raw_header(tar::EntryType::Symlink, n, Some(t), 0, 0o777);
                b.append(&h, std::io::empty()).expect("append");
            }
            Item::Hardlink(n, t) => {
                let h = raw_header(tar::EntryType::Link, n, Some(t), 0, 0o644);
                b.append(&h, std::io::empty()).expect("append");
            }
            Item::CharDev(n, major, minor) => {
                let mut h = raw_header(tar::EntryType::Char, n, None, 0, 0o666);
                h.set_device_major(*major).expect("major");
                h.set_device_minor(*minor).expect("minor");
                h.set_cksum();
                b.append(&h, std::io::empty()).expect("append");
            }
        }
    }
    b.into_inner().expect("finish")
}

/// `sha256:<hex>` of `data`.
pub fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// A minimal image config JSON for `layers` (plain tars), with one history row per layer
/// plus one empty `CMD` step.
pub fn config_for(layers: &[Vec<u8>], cmd: &[&str]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
    let mut history: Vec<serde_json::Value> = (0..layers.len())
        .map(|i| {
            serde_json::json!({
                "created": "2024-01-01T00:00:00Z",
                "created_by": format!("/bin/sh -c #(nop) ADD file:{i} in / "),
            })
        })
        .collect();
    history.push(serde_json::json!({
        "created": "2024-01-01T00:00:01Z",
        "created_by": format!("/bin/sh -c #(nop)  CMD {:?}", cmd),
        "empty_layer": true,
    }));
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:01Z",
        "config": {"Cmd": cmd, "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .expect("json")
}

/// A legacy docker-save archive (`manifest.json`, `<id>.json`, `<v1id>/layer.tar`,
/// `repositories`) of one image.
pub fn legacy_archive(config: &[u8], layers: &[Vec<u8>], tag: &str) -> Vec<u8> {
    let id_hex = sha(config).trim_start_matches("sha256:").to_string();
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data).expect("append");
    };
    let mut layer_paths = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        // Legacy v1 ids are arbitrary hex, unrelated to the content.
        let v1 = format!("{:064x}", i + 1);
        add(&format!("{v1}/VERSION"), b"1.0");
        add(&format!("{v1}/json"), b"{}");
        add(&format!("{v1}/layer.tar"), l);
        layer_paths.push(format!("{v1}/layer.tar"));
    }
    add(&format!("{id_hex}.json"), config);
    let (repo, t) = tag.rsplit_once(':').expect("name:tag");
    add(
        "repositories",
        serde_json::json!({ repo: { t: format!("{:064x}", layers.len()) } })
            .to_string()
            .as_bytes(),
    );
    // Docker writes manifest.json last.
    let manifest = serde_json::json!([{
        "Config": format!("{id_hex}.json"),
        "RepoTags": [tag],
        "Layers": layer_paths,
    }]);
    add("manifest.json", manifest.to_string().as_bytes());
    b.into_inner().expect("finish")
}

/// Every path under `dir` (relative), sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(base).expect("prefix").display().to_string());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(base, &p, out);
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}
