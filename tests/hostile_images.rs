//! Hostile and extreme images given to `berth load` and run (issue 15, "Images and
//! registries"): images up to Docker's 125 layers run and deeper ones are refused, a
//! root-level opaque whiteout hides the layers below, GNU sparse files keep their content,
//! ambiguous documents and wrongly typed configs are refused with a clear error, disk-full
//! and oversized xattrs are reported as what they are, and control characters from an
//! archive never reach the terminal. Runs as root.

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/hostile_fixture.rs"]
mod hostile_fixture;
#[path = "common/image_fixture.rs"]
mod image_fixture;

use container_harness::{Berth, Out, busybox_tar};
use hostile_fixture::{
    SmallFs, close_tar, entry, oci_archive, open_tar, pax_header, sha, sparse_entry,
};
use image_fixture::{Item, config_for, legacy_archive, tar_of};
use std::os::unix::fs::MetadataExt;

/// Loads a docker-save archive of `layers` (plain tars) tagged `tag`.
fn load(b: &Berth, layers: &[Vec<u8>], tag: &str) -> Out {
    load_raw(
        b,
        &legacy_archive(&config_for(layers, &["sh"]), layers, tag),
    )
}

fn load_raw(b: &Berth, archive: &[u8]) -> Out {
    let path = b.scratch("archives").join("image.tar");
    std::fs::write(&path, archive).expect("write archive");
    b.run(&["load", "-i", path.to_str().expect("utf-8")])
}

/// `count` layers: busybox, then one file `/layers/N` per layer.
fn deep_image(count: usize) -> Vec<Vec<u8>> {
    let mut layers = vec![busybox_tar().to_vec()];
    for i in 1..count {
        let name = format!("layers/{i}");
        let data = format!("layer {i}\n");
        layers.push(tar_of(&[Item::File(&name, data.as_bytes())]));
    }
    layers
}

#[test]
fn an_image_of_125_layers_runs() {
    let b = Berth::empty();
    let out = load(&b, &deep_image(125), "deep:125");
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&[
        "run",
        "--rm",
        "deep:125",
        "sh",
        "-c",
        "ls /layers | wc -l; cat /layers/1 /layers/124",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "124\nlayer 1\nlayer 124\n");
    // Each layer has its short link while it exists, and loses it with the image.
    let links = || {
        std::fs::read_dir(b.root().join("l"))
            .map(|rd| rd.count())
            .unwrap_or(0)
    };
    assert_eq!(links(), 125);
    b.ok(&["rmi", "deep:125"]);
    assert_eq!(links(), 0, "links of removed layers are left");
}

#[test]
fn more_layers_than_berth_can_mount_are_refused_on_load() {
    let b = Berth::empty();
    let out = load(&b, &deep_image(126), "deep:126");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("126 layers") && out.stderr.contains("125"),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert_eq!(b.ok(&["images", "-q"]), "");
}

#[test]
fn a_root_level_opaque_whiteout_hides_every_lower_layer() {
    let b = Berth::empty();
    let lower = tar_of(&[Item::File("secret", b"from below\n")]);
    let mut top = open_tar(busybox_tar());
    top.extend(entry(tar::EntryType::Regular, "./.wh..wh..opq", b""));
    top.extend(entry(tar::EntryType::Regular, "mine", b"mine\n"));
    let out = load(&b, &[lower, close_tar(top)], "opaque:1");
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&["run", "--rm", "opaque:1", "ls", "/"]);
    assert_eq!(out.code, 0, "{out:?}");
    let names: Vec<&str> = out.stdout.lines().collect();
    assert!(names.contains(&"mine"), "{names:?}");
    assert!(!names.contains(&"secret"), "a lower layer shows: {names:?}");
    // Nor through the files of a container that is not running.
    b.ok(&["create", "--name", "opq", "opaque:1"]);
    let dest = b.scratch("cp");
    assert_eq!(
        b.run(&["cp", "opq:/mine", dest.to_str().expect("utf-8")])
            .code,
        0
    );
    let out = b.run(&["cp", "opq:/secret", dest.to_str().expect("utf-8")]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(!dest.join("secret").exists());
}

#[test]
fn gnu_sparse_files_are_unpacked_with_their_content_as_sparse_files() {
    let b = Berth::empty();
    let real: u64 = 8 * 1024 * 1024;
    let head = vec![b'H'; 4096];
    let tail = vec![b'T'; 4096];
    let mut layer = open_tar(busybox_tar());
    layer.extend(sparse_entry(
        "sparse.bin",
        real,
        &[(0, head), (real - 4096, tail)],
    ));
    let out = load(&b, &[close_tar(layer)], "sparse:1");
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&[
        "run",
        "--rm",
        "sparse:1",
        "sh",
        "-c",
        "wc -c < /sparse.bin; head -c 3 /sparse.bin; tail -c 3 /sparse.bin; \
         dd if=/sparse.bin bs=4096 skip=1 count=1 2>/dev/null | tr -d '\\0' | wc -c",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("{real}\nHHHTTT0\n"));
    // On disk, the holes are holes.
    let mut found = false;
    for e in std::fs::read_dir(b.root().join("layers")).expect("layers") {
        let f = e.expect("entry").path().join("diff/sparse.bin");
        if let Ok(md) = std::fs::metadata(&f) {
            found = true;
            assert_eq!(md.len(), real);
            assert!(
                md.blocks() * 512 < real / 2,
                "not sparse: {} blocks",
                md.blocks()
            );
        }
    }
    assert!(found, "the sparse file is in no layer");
}

#[test]
fn a_pax_sparse_file_is_refused_not_emptied() {
    let b = Berth::empty();
    let mut layer = open_tar(busybox_tar());
    layer.extend(pax_header(&[
        ("GNU.sparse.major", b"1"),
        ("GNU.sparse.minor", b"0"),
    ]));
    layer.extend(entry(
        tar::EntryType::Regular,
        "GNUSparseFile.0/f",
        b"1\n0\n512\n",
    ));
    let out = load(&b, &[close_tar(layer)], "paxsparse:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("sparse"), "{out:?}");
    assert_eq!(b.ok(&["images", "-q"]), "");
}

/// An OCI manifest of `layers` with a config, plus `extra` fields.
fn manifest_with(config: &[u8], layers: &[Vec<u8>], extra: serde_json::Value) -> Vec<u8> {
    let mut m = serde_json::json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config), "size": config.len()},
        "layers": layers.iter().map(|l| serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": sha(l), "size": l.len()})).collect::<Vec<_>>(),
    });
    for (k, v) in extra.as_object().expect("object") {
        m[k] = v.clone();
    }
    serde_json::to_vec(&m).expect("json")
}

#[test]
fn an_ambiguous_manifest_is_refused_by_load() {
    let b = Berth::empty();
    let layers = vec![busybox_tar().to_vec()];
    let config = config_for(&layers, &["sh"]);
    // Both an image and an index, and no mediaType: CVE-2021-41190.
    let m = manifest_with(
        &config,
        &layers,
        serde_json::json!({"manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                           "digest": sha(b"x"), "size": 1}]}),
    );
    let out = load_raw(&b, &oci_archive(&m, &[&config, &layers[0]], "amb:1"));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("ambiguous"), "{out:?}");
    assert_eq!(b.ok(&["images", "-q"]), "");
    // The same document with its mediaType loads.
    let m = manifest_with(
        &config,
        &layers,
        serde_json::json!({"mediaType": "application/vnd.oci.image.manifest.v1+json"}),
    );
    let out = load_raw(&b, &oci_archive(&m, &[&config, &layers[0]], "amb:1"));
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn a_manifest_over_4_mib_is_refused_by_load() {
    let b = Berth::empty();
    let layers = vec![busybox_tar().to_vec()];
    let config = config_for(&layers, &["sh"]);
    let pad = "x".repeat(4 * 1024 * 1024);
    let m = manifest_with(
        &config,
        &layers,
        serde_json::json!({"annotations": {"pad": pad}}),
    );
    let out = load_raw(&b, &oci_archive(&m, &[&config, &layers[0]], "big:1"));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("4 MiB"), "{out:?}");
}

#[test]
fn a_wrongly_typed_config_field_is_named() {
    let b = Berth::empty();
    let layers = vec![busybox_tar().to_vec()];
    let mut config: serde_json::Value =
        serde_json::from_slice(&config_for(&layers, &["sh"])).expect("json");
    config["config"]["Env"] = serde_json::json!("PATH=/bin");
    let config = serde_json::to_vec(&config).expect("json");
    let out = load_raw(&b, &legacy_archive(&config, &layers, "typed:1"));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("config.Env"), "{out:?}");
}

#[test]
fn control_characters_from_an_archive_never_reach_the_terminal() {
    let b = Berth::empty();
    let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}evil.json";
    let manifest = serde_json::json!([{"Config": evil, "RepoTags": [], "Layers": []}]);
    let mut t = tar::Builder::new(Vec::new());
    let data = manifest.to_string();
    let mut h = tar::Header::new_ustar();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    t.append_data(&mut h, "manifest.json", data.as_bytes())
        .expect("append");
    let out = load_raw(&b, &t.into_inner().expect("tar"));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("[2J]0;pwnedevil.json"), "{out:?}");
    assert!(
        !out.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "control characters printed: {:?}",
        out.stderr
    );
}

#[test]
fn disk_full_while_extracting_is_reported_as_such() {
    let b = Berth::empty();
    let _fs = SmallFs::tmpfs(&b.root(), "6m");
    // 16 MiB of zeros compress to a few KiB: the archive and the blob fit, the file not.
    let big = tar_of(&[Item::File("big", &vec![0u8; 16 * 1024 * 1024])]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &big).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let config = config_for(std::slice::from_ref(&big), &["sh"]);
    let out = load_raw(&b, &legacy_archive(&config, &[gz], "full:1"));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("no space left"), "{out:?}");
    assert!(!out.stderr.contains("invalid layer"), "{out:?}");
}

#[test]
fn an_oversized_xattr_is_not_reported_as_a_full_disk() {
    let b = Berth::empty();
    let _fs = SmallFs::ext4(&b.root(), 64);
    let value = vec![b'v'; 8000];
    let mut layer = open_tar(busybox_tar());
    layer.extend(pax_header(&[("SCHILY.xattr.user.big", &value)]));
    layer.extend(entry(tar::EntryType::Regular, "tagged", b"x"));
    let out = load(&b, &[close_tar(layer)], "xattr:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("user.big") && out.stderr.contains("too large"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("No space left"), "{out:?}");
}

#[test]
fn a_build_goes_past_its_45th_layer() {
    let b = Berth::new();
    let dir = b.scratch("deep-build");
    let mut dockerfile = String::from("FROM busybox:latest\n");
    for i in 1..=60 {
        dockerfile.push_str(&format!("RUN echo {i} > /step{i}\n"));
    }
    std::fs::write(dir.join("Dockerfile"), dockerfile).expect("Dockerfile");
    let out = b.run(&[
        "build",
        "-q",
        "-t",
        "deep:build",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&["run", "--rm", "deep:build", "cat", "/step1", "/step60"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "1\n60\n");
}

#[test]
fn an_image_without_layers_runs_in_a_fresh_root() {
    // No layer has made the short-link directory yet: the mount is made from it anyway.
    let b = Berth::empty();
    let out = load(&b, &[], "nolayers:1");
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&[
        "run",
        "--rm",
        "-v",
        "/bin/busybox:/busybox:ro",
        "nolayers:1",
        "/busybox",
        "echo",
        "ran",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "ran\n");
}
