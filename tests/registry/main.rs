//! pull, push, login and logout against real registries on loopback (Debian's
//! `docker-registry`), with skopeo as an independent client. Runs as root (containers).

mod auth_and_safety;
#[path = "../common/image_fixture.rs"]
mod image_fixture;
#[path = "../common/piped.rs"]
mod piped;
#[path = "../common/registry_harness.rs"]
mod registry_harness;

use berth::engine::Engine;
use image_fixture::{legacy_archive, sha};
use registry_harness::{Registry, busybox_rootfs};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One berth "installation": state root, config file, credentials dir, HOME.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        std::fs::create_dir_all(env.dir.path().join("home")).expect("home");
        env
    }
    fn with_config(yaml: &str) -> Env {
        let env = Env::new();
        std::fs::write(env.dir.path().join("config.yaml"), yaml).expect("config");
        env
    }
    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }
    fn auth_file(&self) -> PathBuf {
        self.dir.path().join("auth").join("config.json")
    }
    fn engine(&self) -> Engine {
        Engine::open(&self.state(), Default::default()).expect("engine")
    }
    fn berth(&self, args: &[&str], stdin: Option<&str>) -> Output {
        piped::output_with_stdin(
            Command::new(env!("CARGO_BIN_EXE_berth"))
                .arg("--root")
                .arg(self.state())
                .arg("--config")
                .arg(self.dir.path().join("config.yaml"))
                .args(args)
                .env("BERTH_CONFIG_DIR", self.dir.path().join("auth"))
                .env("HOME", self.dir.path().join("home"))
                .env_remove("DOCKER_CONFIG")
                .stderr(Stdio::piped()),
            stdin.unwrap_or_default().as_bytes(),
        )
    }
    fn ok(&self, args: &[&str]) -> String {
        let o = self.berth(args, None);
        assert!(o.status.success(), "berth {args:?}: {}", err(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
    fn import_busybox(&self, reference: &str) {
        let tar = self.dir.path().join("busybox.tar");
        std::fs::write(&tar, busybox_rootfs()).expect("write");
        self.ok(&["import", tar.to_str().expect("utf8"), reference]);
    }
    /// Files directly under `blobs/sha256/`.
    fn blob_count(&self) -> usize {
        std::fs::read_dir(self.state().join("blobs/sha256"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
    fn layer_count(&self) -> usize {
        std::fs::read_dir(self.state().join("layers"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn skopeo(args: &[&str]) -> String {
    let o = Command::new("skopeo")
        .args(args)
        .output()
        .expect("skopeo (apt-get install skopeo)");
    assert!(o.status.success(), "skopeo {args:?}: {}", err(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn remote_digest(reference: &str) -> String {
    let out = skopeo(&[
        "inspect",
        "--tls-verify=false",
        &format!("docker://{reference}"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    v["Digest"].as_str().expect("digest").to_string()
}

/// A docker-archive of busybox plus two layers on top (a file, then its removal + another).
fn multi_layer_archive(dir: &Path, tag: &str, arch: &str, marker: &str) -> PathBuf {
    use image_fixture::{Item, tar_of};
    let l1 = busybox_rootfs();
    let l2 = tar_of(&[
        Item::Dir("data"),
        Item::File("data/old.txt", b"old\n"),
        Item::File("arch", marker.as_bytes()),
    ]);
    let l3 = tar_of(&[
        Item::Dir("data"),
        Item::File("data/.wh.old.txt", b""),
        Item::File("data/new.txt", b"new\n"),
    ]);
    let layers = vec![l1, l2, l3];
    let config = serde_json::json!({
        "architecture": arch,
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| sha(l)).collect::<Vec<_>>()},
        "history": [{"created_by": "a"}, {"created_by": "b"}, {"created_by": "c"}],
    });
    let archive = legacy_archive(&serde_json::to_vec(&config).expect("config"), &layers, tag);
    let path = dir.join(format!("{}.tar", marker.trim()));
    std::fs::write(&path, archive).expect("write archive");
    path
}

#[test]
fn berth_push_is_what_skopeo_gets_and_pull_round_trips() {
    let reg = Registry::plain();
    let a = Env::new();
    let target = format!("{}/team/busybox:v1", reg.host);
    a.import_busybox(&target);
    let out = a.ok(&["push", &target]);
    let pushed = out
        .lines()
        .find_map(|l| l.strip_prefix("v1: digest: "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no digest line in {out}"))
        .to_string();
    assert_eq!(
        remote_digest(&target),
        pushed,
        "skopeo sees the digest berth printed"
    );
    // A second push skips every blob.
    let again = a.ok(&["push", &target]);
    assert!(again.contains("Layer already exists"), "{again}");
    assert!(!again.contains("Pushed"), "{again}");
    // skopeo copies it back out: same manifest.
    let copy = a.dir.path().join("copy");
    skopeo(&[
        "copy",
        "--src-tls-verify=false",
        &format!("docker://{target}"),
        &format!("dir:{}", copy.display()),
    ]);
    let manifest = std::fs::read(copy.join("manifest.json")).expect("manifest");
    assert_eq!(sha(&manifest), pushed);

    // Pushing to another repository of the same registry mounts the blobs.
    let other = format!("{}/other/busybox:v1", reg.host);
    a.ok(&["tag", &target, &other]);
    let mounted = a.ok(&["push", &other]);
    assert!(mounted.contains("Mounted from team/busybox"), "{mounted}");

    let b = Env::new();
    let out = b.ok(&["pull", &target]);
    assert!(out.contains("Pull complete"), "{out}");
    assert!(out.contains(&format!("Digest: {pushed}")), "{out}");
    assert!(
        out.contains(&format!("Status: Downloaded newer image for {target}")),
        "{out}"
    );
    let img = b.engine().image(&target).expect("pulled image");
    assert_eq!(
        img.repo_digests,
        [format!("{}/team/busybox@{pushed}", reg.host)]
    );
    let again = b.ok(&["pull", &target]);
    assert!(again.contains("Status: Image is up to date"), "{again}");
    // Pull by digest.
    let c = Env::new();
    c.ok(&["pull", &format!("{}/team/busybox@{pushed}", reg.host)]);
    assert_eq!(c.engine().images().expect("images").len(), 1);
}

#[test]
fn skopeo_pushed_multi_layer_gzip_and_zstd_images_pull_and_run() {
    let reg = Registry::plain();
    let work = tempfile::tempdir().expect("tempdir");
    let archive = multi_layer_archive(work.path(), "multi:1", "amd64", "amd64\n");
    let gz = format!("{}/multi/app:gz", reg.host);
    let zst = format!("{}/multi/zstd:zst", reg.host);
    // zstd first: skopeo would otherwise reuse the gzip blobs it already pushed.
    skopeo(&[
        "copy",
        "--dest-tls-verify=false",
        "--format",
        "oci",
        "--dest-compress",
        "--dest-compress-format",
        "zstd",
        &format!("docker-archive:{}", archive.display()),
        &format!("docker://{zst}"),
    ]);
    skopeo(&[
        "copy",
        "--dest-tls-verify=false",
        &format!("docker-archive:{}", archive.display()),
        &format!("docker://{gz}"),
    ]);
    let raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{zst}"),
    ]);
    assert!(raw.contains("zstd"), "zstd layers: {raw}");

    for reference in [&gz, &zst] {
        let env = Env::new();
        env.ok(&["pull", reference]);
        let img = env.engine().image(reference).expect("image");
        assert_eq!(img.layers.len(), 3);
        assert_eq!(
            img.repo_digests[0].split('@').nth(1),
            Some(remote_digest(reference).as_str())
        );
        let out = env.ok(&[
            "run",
            "--rm",
            "--network",
            "none",
            reference,
            "sh",
            "-c",
            "cat /arch /data/new.txt; ls /data",
        ]);
        assert_eq!(
            out, "amd64\nnew\nnew.txt\n",
            "whiteout applied, files from every layer"
        );
    }
}

#[test]
fn a_multi_arch_index_resolves_to_this_machine() {
    let reg = Registry::plain();
    let work = tempfile::tempdir().expect("tempdir");
    let mut entries = Vec::new();
    for arch in ["arm64", "amd64"] {
        let archive = multi_layer_archive(work.path(), "m:1", arch, &format!("{arch}\n"));
        let r = format!("{}/multi/arch:{arch}", reg.host);
        skopeo(&[
            "copy",
            "--dest-tls-verify=false",
            "--format",
            "oci",
            &format!("docker-archive:{}", archive.display()),
            &format!("docker://{r}"),
        ]);
        let raw = skopeo(&[
            "inspect",
            "--raw",
            "--tls-verify=false",
            &format!("docker://{r}"),
        ]);
        let mut platform = serde_json::json!({"os": "linux", "architecture": arch});
        if arch == "arm64" {
            platform["variant"] = "v8".into();
        }
        entries.push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": sha(raw.as_bytes()),
            "size": raw.len(),
            "platform": platform,
        }));
    }
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": entries,
    }))
    .expect("index");
    let url = format!("http://{}/v2/multi/arch/manifests/both", reg.host);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let status = rt.block_on(async {
        reqwest::Client::new()
            .put(&url)
            .header("Content-Type", "application/vnd.oci.image.index.v1+json")
            .body(index.clone())
            .send()
            .await
            .expect("put index")
            .status()
    });
    assert!(status.is_success(), "index upload: {status}: {}", reg.log());

    let env = Env::new();
    let both = format!("{}/multi/arch:both", reg.host);
    let out = env.ok(&["pull", &both]);
    assert!(
        out.contains(&format!("Digest: {}", sha(&index))),
        "index digest printed: {out}"
    );
    let img = env.engine().image(&both).expect("image");
    assert_eq!(img.config.architecture().to_string(), "amd64");
    let dir = env.engine().layer_dir(&img.layers[1]);
    assert_eq!(
        std::fs::read_to_string(dir.join("arch")).expect("arch"),
        "amd64\n"
    );
    assert_eq!(
        img.repo_digests,
        [format!("{}/multi/arch@{}", reg.host, sha(&index))]
    );

    let arm = Env::new();
    arm.ok(&["pull", "--platform", "linux/arm64", &both]);
    let img = arm.engine().image(&both).expect("image");
    assert_eq!(img.config.architecture().to_string(), "arm64");
    let o = arm.berth(&["pull", "--platform", "linux/s390x", &both], None);
    assert!(!o.status.success());
    assert!(
        err(&o).contains("no matching manifest for linux/s390x"),
        "{}",
        err(&o)
    );
}
