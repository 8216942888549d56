//! Crafted images for the hostile-input tests: tar entries the `tar` crate's builder will
//! not write (GNU sparse, PAX xattrs, raw names), OCI layout archives, and a small
//! filesystem (tmpfs or ext4 on a loop device) mounted under a test's own directory and
//! unmounted when dropped, also when the test fails.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `sha256:<hex>`.
pub fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// A tar's bytes without its end-of-archive blocks, so that more entries can follow.
pub fn open_tar(tar: &[u8]) -> Vec<u8> {
    let mut t = tar.to_vec();
    while t.len() >= 512 && t[t.len() - 512..].iter().all(|b| *b == 0) {
        t.truncate(t.len() - 512);
    }
    t
}

/// Appends the end-of-archive blocks.
pub fn close_tar(mut t: Vec<u8>) -> Vec<u8> {
    t.extend_from_slice(&[0u8; 1024]);
    t
}

fn header(kind: tar::EntryType, name: &str, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    let gnu = h.as_gnu_mut().expect("gnu");
    gnu.name = [0; 100];
    gnu.name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_cksum();
    h
}

fn padded(mut data: Vec<u8>) -> Vec<u8> {
    let rem = data.len() % 512;
    if rem != 0 {
        data.resize(data.len() + 512 - rem, 0);
    }
    data
}

/// One entry (header and padded data), its name written byte for byte.
pub fn entry(kind: tar::EntryType, name: &str, data: &[u8]) -> Vec<u8> {
    let h = header(kind, name, data.len() as u64);
    let mut out = h.as_bytes().to_vec();
    out.extend(padded(data.to_vec()));
    out
}

fn octal12(n: u64) -> [u8; 12] {
    let s = format!("{n:011o}\0");
    let mut out = [0u8; 12];
    out.copy_from_slice(s.as_bytes());
    out
}

/// A GNU sparse entry (old GNU format, type `S`) of `real` bytes holding `chunks` (offset,
/// data; each data a multiple of 512 bytes, at most 4 chunks), holes elsewhere.
pub fn sparse_entry(name: &str, real: u64, chunks: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let data: Vec<u8> = chunks.iter().flat_map(|(_, d)| d.clone()).collect();
    let mut h = header(tar::EntryType::GNUSparse, name, data.len() as u64);
    let gnu = h.as_gnu_mut().expect("gnu");
    for (i, (off, d)) in chunks.iter().enumerate() {
        gnu.sparse[i].offset = octal12(*off);
        gnu.sparse[i].numbytes = octal12(d.len() as u64);
    }
    gnu.realsize = octal12(real);
    h.set_cksum();
    let mut out = h.as_bytes().to_vec();
    out.extend(padded(data));
    out
}

/// A PAX extended header of `records` (key, value) for the entry that follows.
pub fn pax_header(records: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in records {
        let rest = k.len() + v.len() + 3;
        let mut len = rest + 1;
        while len != rest + len.to_string().len() {
            len = rest + len.to_string().len();
        }
        body.extend(format!("{len} {k}=").as_bytes());
        body.extend(*v);
        body.push(b'\n');
    }
    entry(tar::EntryType::XHeader, "PaxHeader", &body)
}

/// An OCI image layout archive (`oci-layout`, `index.json`, `blobs/sha256/...`) whose index
/// lists the one document `manifest` (as raw bytes), with the blobs `blobs`.
pub fn oci_archive(manifest: &[u8], blobs: &[&[u8]], tag: &str) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data).expect("append");
    };
    add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    for blob in blobs.iter().chain([&manifest]) {
        let name = format!("blobs/sha256/{}", sha(blob).trim_start_matches("sha256:"));
        add(&name, blob);
    }
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": sha(manifest),
            "size": manifest.len(),
            "annotations": {"io.containerd.image.name": tag},
        }],
    });
    add("index.json", index.to_string().as_bytes());
    b.into_inner().expect("finish")
}

/// A filesystem mounted on `dir` for one test; unmounted (lazily) when dropped.
pub struct SmallFs {
    /// The mount point.
    pub dir: PathBuf,
    image: Option<PathBuf>,
}

impl SmallFs {
    /// A tmpfs of `size` (`4m`) on `dir`.
    pub fn tmpfs(dir: &Path, size: &str) -> SmallFs {
        std::fs::create_dir_all(dir).expect("mkdir");
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir)
            .status()
            .expect("mount");
        assert!(ok.success(), "mount tmpfs on {}", dir.display());
        SmallFs {
            dir: dir.to_path_buf(),
            image: None,
        }
    }

    /// An ext4 filesystem of `mib` MiB in a file beside `dir`, on a loop device on `dir`.
    pub fn ext4(dir: &Path, mib: u64) -> SmallFs {
        std::fs::create_dir_all(dir).expect("mkdir");
        let image = dir.with_extension("img");
        let f = std::fs::File::create(&image).expect("image file");
        f.set_len(mib * 1024 * 1024).expect("size");
        let ok = Command::new("mkfs.ext4")
            .args(["-q", "-F"])
            .arg(&image)
            .status()
            .expect("mkfs.ext4 (e2fsprogs)");
        assert!(ok.success(), "mkfs.ext4");
        let ok = Command::new("mount")
            .args(["-o", "loop"])
            .arg(&image)
            .arg(dir)
            .status()
            .expect("mount");
        assert!(ok.success(), "mount loop");
        SmallFs {
            dir: dir.to_path_buf(),
            image: Some(image),
        }
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        // Lazily: a container's overlay under it may still be going away.
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        if let Some(img) = &self.image {
            let _ = std::fs::remove_file(img);
        }
    }
}
