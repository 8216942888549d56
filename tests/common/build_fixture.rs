//! Helpers of the build tests: contexts written into the test's scratch space, `build`
//! runs, `image inspect`, and a census of what a state root holds.

#![allow(dead_code)]

use super::harness::{self, Berth};
use std::path::{Path, PathBuf};

/// Writes `files` (path, content) under a new context directory of the test.
pub fn context(b: &Berth, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = b.scratch(name);
    for (p, content) in files {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
    dir
}

/// Runs `build EXTRA... DIR`.
pub fn build(b: &Berth, dir: &Path, extra: &[&str]) -> harness::Out {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().expect("utf-8"));
    b.run(&args)
}

/// Runs `build` and asserts it succeeded; returns its output.
pub fn build_ok(b: &Berth, dir: &Path, extra: &[&str]) -> String {
    let out = build(b, dir, extra);
    assert_eq!(out.code, 0, "build failed: {out:?}");
    out.stdout
}

/// `image inspect IMAGE`, the first object.
pub fn inspect(b: &Berth, image: &str) -> serde_json::Value {
    let out = b.ok(&["image", "inspect", image]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("inspect json");
    v[0].clone()
}

/// The entries of the state root's `tmp/` once the shims of `run --rm` containers have
/// finished deleting them (they report the exit first and delete `tmp/removing-*` after).
pub fn settled_tmp(b: &Berth) -> Vec<PathBuf> {
    let list = || -> Vec<PathBuf> {
        std::fs::read_dir(b.root().join("tmp"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = list();
        let removing = now.iter().any(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("removing-"))
        });
        if !removing || std::time::Instant::now() >= until {
            return now;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Counts of what the state root holds: images, blobs, layer dirs, containers, tmp entries.
pub fn census(b: &Berth) -> (usize, usize, usize, usize, usize) {
    let n = |p: PathBuf| std::fs::read_dir(p).map(|d| d.count()).unwrap_or(0);
    let root = b.root();
    let tmp = settled_tmp(b).len();
    let images = b.ok(&["images", "-q", "--no-trunc"]).lines().count();
    (
        images,
        n(root.join("blobs/sha256")),
        n(root.join("layers")),
        n(root.join("containers")) - usize::from(root.join("containers/.names.lock").exists()),
        tmp,
    )
}
