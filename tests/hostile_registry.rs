//! Hostile documents and blobs from a registry (issue 15, "Images and registries"), served
//! by a real registry on loopback: ambiguous manifests, artifacts, an index whose child is
//! missing, more layers than berth can mount, a blob whose size was lied about, and a disk
//! that fills up during the download. Each fails early with one clear line, and fails the
//! same way when tried again. Runs as root.

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/hostile_fixture.rs"]
mod hostile_fixture;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use container_harness::{Berth, Out, busybox_tar};
use hostile_fixture::{SmallFs, sha};
use registry_harness::{Registry, StaticRegistry, big_layer};
use std::collections::HashMap;

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// Uploads busybox and its config to `repo`; returns (config, layer) descriptors as JSON.
fn busybox_blobs(reg: &Registry, repo: &str) -> (serde_json::Value, serde_json::Value) {
    let layer = busybox_tar();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": [sha(layer)]},
    }))
    .expect("config");
    reg.upload(repo, &config);
    reg.upload(repo, layer);
    (
        serde_json::json!({"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": sha(&config), "size": config.len()}),
        serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar",
                           "digest": sha(layer), "size": layer.len()}),
    )
}

fn pull(b: &Berth, reg: &Registry, name: &str) -> Out {
    b.run(&["pull", &format!("{}/{name}", reg.host)])
}

/// The files berth keeps under `tmp/` (partial downloads, scratch).
fn tmp_files(b: &Berth) -> Vec<String> {
    std::fs::read_dir(b.root().join("tmp"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn blob_count(b: &Berth) -> usize {
    std::fs::read_dir(b.root().join("blobs/sha256"))
        .map(|rd| rd.count())
        .unwrap_or(0)
}

#[test]
fn an_ambiguous_manifest_is_refused_by_pull() {
    // The registry package refuses to store such a document (it has the CVE's fix): a
    // registry of fixed documents serves it, as a hostile one would.
    let layer = busybox_tar();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(layer)]},
    }))
    .expect("config");
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": sha(layer), "size": layer.len()}],
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": sha(b"x"), "size": 1}],
    }))
    .expect("json");
    let octet = "application/octet-stream".to_string();
    let docs = HashMap::from([
        (
            "/v2/amb/manifests/1".to_string(),
            (OCI_MANIFEST.to_string(), m),
        ),
        (
            format!("/v2/amb/blobs/{}", sha(&config)),
            (octet.clone(), config.clone()),
        ),
        (
            format!("/v2/amb/blobs/{}", sha(layer)),
            (octet, layer.to_vec()),
        ),
    ]);
    let reg = StaticRegistry::serve(docs);
    let b = Berth::empty();
    let out = b.run(&["pull", &format!("{}/amb:1", reg.host)]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("ambiguous"), "{out:?}");
    assert_eq!(blob_count(&b), 0, "something was fetched");
}

#[test]
fn an_artifact_is_not_a_container_image() {
    let reg = Registry::plain();
    let config = b"{}".to_vec();
    let blob = b"chart bytes".to_vec();
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json",
                   "digest": reg.upload("chart", &config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                    "digest": reg.upload("chart", &blob), "size": blob.len()}],
    }))
    .expect("json");
    reg.put_manifest("chart", "1", OCI_MANIFEST, &m);
    let b = Berth::empty();
    let out = pull(&b, &reg, "chart:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("not a container image"), "{out:?}");
    assert!(!out.stderr.contains("layers"), "{out:?}");
}

#[test]
fn an_index_whose_child_is_missing_names_its_digest() {
    let reg = Registry::plain();
    let (config, layer) = busybox_blobs(&reg, "idx");
    let child = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": [layer],
    }))
    .expect("json");
    let child_digest = reg.put_manifest("idx", "child", OCI_MANIFEST, &child);
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": child_digest, "size": child.len(),
                       "platform": {"os": "linux", "architecture": std::env::consts::ARCH
                           .replace("x86_64", "amd64").replace("aarch64", "arm64")}}],
    }))
    .expect("json");
    reg.put_manifest("idx", "1", OCI_INDEX, &index);
    // The registry forgets the child.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let status = rt.block_on(async {
        reqwest::Client::new()
            .delete(format!(
                "http://{}/v2/idx/manifests/{child_digest}",
                reg.host
            ))
            .send()
            .await
            .expect("delete")
            .status()
    });
    assert!(status.is_success(), "delete child: {status}");
    let b = Berth::empty();
    let out = pull(&b, &reg, "idx:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains(&child_digest), "{out:?}");
}

#[test]
fn more_layers_than_berth_can_mount_are_refused_before_any_download() {
    let reg = Registry::plain();
    let (config, layer) = busybox_blobs(&reg, "deep");
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config,
        "layers": vec![layer; 200],
    }))
    .expect("json");
    reg.put_manifest("deep", "1", OCI_MANIFEST, &m);
    let b = Berth::empty();
    let out = pull(&b, &reg, "deep:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("200 layers") && out.stderr.contains("125"),
        "{out:?}"
    );
    assert_eq!(blob_count(&b), 0, "something was fetched");
}

#[test]
fn a_blob_whose_size_was_lied_about_fails_the_same_way_every_time() {
    let reg = Registry::plain();
    let layer = busybox_tar();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(layer)]},
    }))
    .expect("config");
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": reg.upload("liar", &config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": reg.upload("liar", layer), "size": 4_600_000_000_000_000_000u64}],
    }))
    .expect("json");
    reg.put_manifest("liar", "1", OCI_MANIFEST, &m);
    let b = Berth::empty();
    let first = pull(&b, &reg, "liar:1");
    assert_eq!(first.code, 125, "{first:?}");
    assert!(first.stderr.contains("descriptor says"), "{first:?}");
    assert!(
        !tmp_files(&b).iter().any(|f| f.starts_with("partial-")),
        "a failed verification kept a download to resume: {:?}",
        tmp_files(&b)
    );
    let second = pull(&b, &reg, "liar:1");
    assert_eq!(second.code, 125, "{second:?}");
    assert_eq!(first.stderr, second.stderr);
    // A partial kept by an older berth (all the bytes the registry has) is not resumed
    // into a raw range error: the download starts over and fails the same way.
    let partial = b.root().join("tmp").join(format!(
        "partial-{}",
        sha(layer).trim_start_matches("sha256:")
    ));
    std::fs::write(&partial, layer).expect("plant a partial");
    let third = pull(&b, &reg, "liar:1");
    assert_eq!(third.code, 125, "{third:?}");
    assert_eq!(first.stderr, third.stderr);
    assert!(!partial.exists(), "the bad partial stays");
}

#[test]
fn disk_full_while_downloading_is_not_a_size_mismatch() {
    let reg = Registry::plain();
    let (blob, tar) = big_layer(12 * 1024 * 1024, 7);
    reg.push_raw_image("full", "1", &blob, &sha(&tar));
    let b = Berth::empty();
    let _fs = SmallFs::tmpfs(&b.root(), "8m");
    let out = pull(&b, &reg, "full:1");
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("no space left"), "{out:?}");
    assert!(
        !out.stderr.contains("descriptor says") && !out.stderr.contains("mismatch"),
        "{out:?}"
    );
}

#[test]
fn a_manifest_over_4_mib_is_refused_by_pull() {
    // The registry package refuses to store it: served by a registry of fixed documents.
    let pad = "x".repeat(4 * 1024 * 1024);
    let m = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(b"{}"), "size": 2},
        "layers": [],
        "annotations": {"pad": pad},
    }))
    .expect("json");
    let docs = HashMap::from([(
        "/v2/big/manifests/1".to_string(),
        (OCI_MANIFEST.to_string(), m),
    )]);
    let reg = StaticRegistry::serve(docs);
    let b = Berth::empty();
    let out = b.run(&["pull", &format!("{}/big:1", reg.host)]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("4 MiB"), "{out:?}");
    assert_eq!(blob_count(&b), 0, "something was fetched");
}
