//! cp into a stopped container, export of the merged filesystem, container prune.

use super::*;

#[test]
fn cp_into_a_stopped_container() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("state");
    let host = dir.path().join("host");
    let id = fake_container(&root);
    write(&host.join("app/config.yaml"), "port: 80\n");
    write(&host.join("app/lib/x.py"), "print()\n");
    std::os::unix::fs::lchown(host.join("app/config.yaml"), Some(1234), Some(1234)).expect("chown");
    let upper = root.join("containers").join(&id).join("rw/upper");

    // A directory to a new path inside the container; owned by root without -a.
    ok(&berth(
        &root,
        &["cp", host.join("app").to_str().expect("utf8"), "box:/srv"],
        None,
    ));
    assert_eq!(
        std::fs::read_to_string(upper.join("srv/config.yaml")).expect("cfg"),
        "port: 80\n"
    );
    assert!(upper.join("srv/lib/x.py").is_file());
    assert_eq!(
        std::fs::metadata(upper.join("srv/config.yaml"))
            .expect("meta")
            .uid(),
        0
    );
    // With -a the owner is kept; into an existing directory the source's name is kept.
    ok(&berth(
        &root,
        &[
            "cp",
            "-a",
            host.join("app").to_str().expect("utf8"),
            "box:/srv",
        ],
        None,
    ));
    assert_eq!(
        std::fs::metadata(upper.join("srv/app/config.yaml"))
            .expect("meta")
            .uid(),
        1234
    );
    // A file over an existing file.
    ok(&berth(
        &root,
        &[
            "cp",
            host.join("app/config.yaml").to_str().expect("utf8"),
            "box:/etc/hostname",
        ],
        None,
    ));
    assert_eq!(
        std::fs::read_to_string(upper.join("etc/hostname")).expect("hostname"),
        "port: 80\n"
    );
    // A directory onto a file is refused.
    let o = berth(
        &root,
        &[
            "cp",
            host.join("app").to_str().expect("utf8"),
            "box:/etc/motd",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot copy a directory to a file"));
    // A tar stream on stdin into a directory.
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(3);
    h.set_mode(0o600);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(&mut h, "from-stdin", &b"abc"[..])
        .expect("append");
    let data = b.into_inner().expect("tar");
    ok(&berth(&root, &["cp", "-", "box:/usr/share"], Some(&data)));
    assert_eq!(
        std::fs::read(upper.join("usr/share/from-stdin")).expect("stdin file"),
        b"abc"
    );
    let diff = ok(&berth(&root, &["diff", "box"], None));
    assert!(
        diff.contains("A /srv/app/config.yaml\n") && diff.contains("C /etc/hostname\n"),
        "{diff}"
    );
    assert_clean(&root);
}

#[test]
fn export_writes_the_merged_filesystem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("state");
    fake_container(&root);
    let out: PathBuf = dir.path().join("box.tar");
    ok(&berth(
        &root,
        &["export", "box", "-o", out.to_str().expect("utf8")],
        None,
    ));
    let data = std::fs::read(&out).expect("tar");
    let names = tar_names(&data);
    for want in [
        "etc/passwd",
        "etc/motd",
        "etc/new.conf",
        "usr/share/doc/readme",
        "evil",
        "cache/fresh",
        "tmp",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n == "gone.txt" || n == "cache/old"),
        "{names:?}"
    );
    let piped = berth(&root, &["export", "box"], None);
    ok(&piped);
    assert_eq!(tar_names(&piped.stdout), names);
    assert_clean(&root);
}

#[test]
fn container_prune_removes_only_stopped_containers() {
    use berth::engine::{ContainerState, Status};
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let stopped = fake_container(root);
    // A "running" container whose shim is this test process (alive, so not reconciled).
    let running = records::random_id();
    let src = root.join("containers").join(&stopped);
    let dst = root.join("containers").join(&running);
    std::fs::create_dir_all(&dst).expect("mkdir");
    let mut config: ContainerConfig = records::read_json(&src.join("config.json")).expect("config");
    config.id = running.parse().expect("container id");
    config.name = "busy".into();
    records::write_json(&dst.join("config.json"), &config).expect("config");
    let me = std::process::id() as i32;
    let start = records::start_time(me).expect("start time");
    let state = ContainerState {
        status: Status::Running,
        pid: me,
        pid_start: start,
        shim_pid: me,
        shim_start: start,
        ..Default::default()
    };
    records::write_json(&dst.join("state.json"), &state).expect("state");

    let engine = berth::engine::Engine::open(root, Default::default()).expect("open");
    let report = engine.prune_containers().expect("prune");
    assert_eq!(report.deleted, vec![stopped.clone()]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.reclaimed > 0);
    assert!(!src.exists());
    assert!(dst.exists());
}
