//! Login and TLS, and what a pull refuses or survives: lying digests, shared layers, registry errors, a gzip bomb, a killed pull.

use super::*;

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
