//! pull, push, login and logout against real registries on loopback (Debian's
//! `docker-registry`), with skopeo as an independent client. Runs as root (containers).

#[path = "common/image_fixture.rs"]
mod image_fixture;
#[path = "common/registry_harness.rs"]
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
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
            .arg("--root")
            .arg(self.state())
            .arg("--config")
            .arg(self.dir.path().join("config.yaml"))
            .args(args)
            .env("BERTH_CONFIG_DIR", self.dir.path().join("auth"))
            .env("HOME", self.dir.path().join("home"))
            .env_remove("DOCKER_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn berth");
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(s) = stdin {
            pipe.write_all(s.as_bytes()).expect("stdin");
        }
        drop(pipe);
        child.wait_with_output().expect("wait")
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

#[test]
fn login_checks_the_password_and_logout_removes_it() {
    let reg = Registry::with_auth("alice", "s3cret");
    let env = Env::new();
    let target = format!("{}/private/busybox:v1", reg.host);
    env.import_busybox(&target);

    let o = env.berth(&["push", &target], None);
    assert!(!o.status.success(), "anonymous push must fail");
    let e = err(&o);
    assert!(
        e.contains("unauthorized") && e.contains("berth login"),
        "{e}"
    );
    assert_eq!(e.trim().lines().count(), 1, "one line: {e}");

    let o = env.berth(
        &["login", "-u", "alice", "--password-stdin", &reg.host],
        Some("wrong\n"),
    );
    assert!(!o.status.success());
    assert!(
        err(&o).contains("incorrect username or password"),
        "{}",
        err(&o)
    );
    assert!(
        !env.auth_file().exists(),
        "nothing saved after a failed login"
    );

    let o = env.berth(
        &["login", "-u", "alice", "--password-stdin", &reg.host],
        Some("s3cret\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Login Succeeded"));
    let meta = std::fs::metadata(env.auth_file()).expect("auth file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.auth_file()).expect("read")).expect("json");
    // base64("alice:s3cret")
    assert_eq!(saved["auths"][&reg.host]["auth"], "YWxpY2U6czNjcmV0");

    env.ok(&["push", &target]);
    let other = Env::new();
    let o = other.berth(&["pull", &target], None);
    assert!(!o.status.success(), "pull without credentials must fail");
    std::fs::create_dir_all(other.auth_file().parent().expect("dir")).expect("mkdir");
    std::fs::copy(env.auth_file(), other.auth_file()).expect("copy credentials");
    other.ok(&["pull", &target]);

    let out = env.ok(&["logout", &reg.host]);
    assert!(
        out.contains(&format!("Removing login credentials for {}", reg.host)),
        "{out}"
    );
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.auth_file()).expect("read")).expect("json");
    assert!(saved["auths"].get(&reg.host).is_none(), "{saved}");
}

#[test]
fn tls_registry_needs_its_ca() {
    let reg = Registry::with_tls();
    let ca = reg.ca.clone().expect("ca");
    let target = format!("{}/secure/busybox:v1", reg.host);
    let without = Env::new();
    without.import_busybox(&target);
    let o = without.berth(&["push", &target], None);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("tls failure") && e.contains("registries.ca_files"),
        "{e}"
    );

    let yaml = format!("registries:\n  ca_files: ['{}']\n", ca.display());
    let with = Env::with_config(&yaml);
    with.import_busybox(&target);
    with.ok(&["push", &target]);
    let puller = Env::with_config(&yaml);
    puller.ok(&["pull", &target]);
    assert!(puller.engine().image(&target).is_ok());
}

#[test]
fn a_blob_whose_digest_lies_is_refused_and_nothing_is_stored() {
    let reg = Registry::plain();
    let a = Env::new();
    let target = format!("{}/lies/busybox:v1", reg.host);
    a.import_busybox(&target);
    a.ok(&["push", &target]);
    let layer = a
        .engine()
        .image(&target)
        .expect("image")
        .config
        .rootfs()
        .diff_ids()[0]
        .clone();
    // The layer was pushed uncompressed, so its blob digest is its diff id. Flip bytes in
    // the registry's copy, keeping the size.
    let file = reg.blob_file(&layer);
    let mut data = std::fs::read(&file).expect("registry blob");
    let mid = data.len() / 2;
    data[mid] ^= 0xff;
    data[mid + 1] ^= 0xff;
    std::fs::write(&file, data).expect("tamper");

    let b = Env::new();
    let o = b.berth(&["pull", &target], None);
    assert!(!o.status.success(), "a lying blob must fail the pull");
    assert!(err(&o).contains("digest mismatch"), "{}", err(&o));
    assert!(
        b.engine().images().expect("images").is_empty(),
        "nothing tagged"
    );
    assert_eq!(b.layer_count(), 0, "no layer stored");
    assert_eq!(b.blob_count(), 0, "no blob stored");
    let tmp: Vec<_> = std::fs::read_dir(b.state().join("tmp"))
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(tmp.is_empty(), "no temp files left: {tmp:?}");
}

#[test]
fn layers_shared_by_two_pulled_images_are_stored_once() {
    let reg = Registry::plain();
    let a = Env::new();
    let tar = a.dir.path().join("bb.tar");
    std::fs::write(&tar, busybox_rootfs()).expect("write");
    let one = format!("{}/shared/one:v1", reg.host);
    let two = format!("{}/shared/two:v1", reg.host);
    a.ok(&[
        "import",
        tar.to_str().expect("utf8"),
        &one,
        "-c",
        "CMD [\"one\"]",
    ]);
    a.ok(&[
        "import",
        tar.to_str().expect("utf8"),
        &two,
        "-c",
        "CMD [\"two\"]",
    ]);
    a.ok(&["push", &one]);
    a.ok(&["push", &two]);

    let b = Env::new();
    b.ok(&["pull", &one]);
    let out = b.ok(&["pull", &two]);
    assert!(out.contains("Already exists"), "{out}");
    assert_eq!(b.layer_count(), 1, "one layer directory for both images");
    // One layer blob + two configs + two manifests.
    assert_eq!(b.blob_count(), 5);
    let e = b.engine();
    assert_ne!(
        e.image(&one).expect("one").id,
        e.image(&two).expect("two").id
    );
}

#[test]
fn registry_errors_say_what_to_do() {
    let env = Env::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let o = env.berth(&["pull", &format!("127.0.0.1:{port}/nothing:here")], None);
    assert!(!o.status.success());
    assert!(err(&o).contains("cannot reach registry"), "{}", err(&o));
    let o = env.berth(&["pull", "Bad//Name"], None);
    assert!(err(&o).contains("invalid reference format"), "{}", err(&o));

    let reg = Registry::plain();
    let o = env.berth(&["pull", &format!("{}/missing/repo:v1", reg.host)], None);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("not found") || e.contains("does not exist"),
        "{e}"
    );
    assert_eq!(e.trim().lines().count(), 1, "{e}");
}

#[test]
fn a_gzip_bomb_is_refused_without_filling_the_disk() {
    let reg = Registry::plain();
    let work = tempfile::tempdir().expect("tempdir");
    // One tar entry of 300 MiB of zeros, gzipped by the system's gzip (fast): ~300 KiB.
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(300 * 1024 * 1024);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    h.set_path("zeros").expect("path");
    h.set_cksum();
    let header = work.path().join("header");
    std::fs::write(&header, h.as_bytes()).expect("header");
    let bomb = work.path().join("bomb.gz");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "(cat {} && head -c 314572800 /dev/zero && head -c 1024 /dev/zero) | gzip -1 > {}",
            header.display(),
            bomb.display()
        ))
        .status()
        .expect("gzip");
    assert!(status.success());
    let layer = std::fs::read(&bomb).expect("bomb");
    assert!(layer.len() < 2 * 1024 * 1024, "compressed bomb is small");
    // The diff id does not matter: unpacking stops long before it could be checked.
    let fake_diff = format!("sha256:{}", "0".repeat(64));
    reg.push_raw_image("bomb", "v1", &layer, &fake_diff);

    let env = Env::new();
    let o = env.berth(&["pull", &format!("{}/bomb:v1", reg.host)], None);
    assert!(!o.status.success(), "a bomb must be refused");
    assert!(err(&o).contains("decompression bomb"), "{}", err(&o));
    assert!(env.engine().images().expect("images").is_empty());
    assert_eq!(env.layer_count(), 0);
    assert_eq!(env.blob_count(), 0);
}

#[test]
fn a_killed_pull_leaves_no_corrupt_blob_and_the_next_pull_finishes() {
    let reg = Registry::plain();
    // A 24 MB layer of incompressible bytes, so the pull takes a moment.
    let mut data = vec![0u8; 24 * 1024 * 1024];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let bb = busybox_rootfs();
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    b.append_data(&mut h, "big.bin", data.as_slice())
        .expect("append");
    // Busybox in the same layer, so the image runs.
    let mut ar = tar::Archive::new(bb.as_slice());
    for e in ar.entries().expect("entries") {
        let mut e = e.expect("entry");
        let mut h = e.header().clone();
        let path = e.path().expect("path").into_owned();
        if h.entry_type() == tar::EntryType::Symlink {
            let target = e.link_name().expect("link").expect("target").into_owned();
            b.append_link(&mut h, &path, &target).expect("link");
        } else {
            b.append_data(&mut h, &path, &mut e).expect("data");
        }
    }
    let tar = b.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    std::io::Write::write_all(&mut gz, &tar).expect("gzip");
    let layer = gz.finish().expect("gzip");
    reg.push_raw_image("big", "v1", &layer, &sha(&tar));
    let target = format!("{}/big:v1", reg.host);

    let env = Env::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(env.state())
        .arg("--config")
        .arg(env.dir.path().join("config.yaml"))
        .args(["pull", "-q", &target])
        .env("HOME", env.dir.path().join("home"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(400));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill");
    let _ = child.wait();
    // Whatever was interrupted, every stored blob holds exactly what its name says.
    for e in std::fs::read_dir(env.state().join("blobs/sha256")).expect("blobs") {
        let e = e.expect("entry");
        let content = std::fs::read(e.path()).expect("read blob");
        assert_eq!(
            sha(&content),
            format!("sha256:{}", e.file_name().to_string_lossy()),
            "corrupt blob left by a killed pull"
        );
    }
    env.ok(&["pull", &target]);
    let out = env.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        &target,
        "sh",
        "-c",
        "ls -l /big.bin",
    ]);
    assert!(out.contains(&data.len().to_string()), "{out}");
}
