//! diff, cp and export on a stopped container built on disk (image layers as plain
//! directories, a read-write layer with an added file, a changed file and a whiteout).
//! The overlay mounts these need work as root, which the test suite runs as.

#[path = "common/records.rs"]
mod records;

use berth::engine::{ContainerConfig, Resources, RestartPolicy};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const LOWER: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const TOP: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn write(path: &Path, data: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, data).expect("write");
}

/// A stopped container named `box` under `root`; returns its id.
fn fake_container(root: &Path) -> String {
    let lower = root.join("layers").join(LOWER).join("diff");
    write(
        &lower.join("etc/passwd"),
        "root:x:0:0:container root:/root:/bin/sh\n",
    );
    write(&lower.join("etc/hostname"), "box\n");
    write(&lower.join("usr/share/doc/readme"), "docs\n");
    write(&lower.join("gone.txt"), "bye\n");
    write(&lower.join("cache/old"), "old\n");
    std::fs::create_dir_all(lower.join("tmp")).expect("mkdir");
    let top = root.join("layers").join(TOP).join("diff");
    write(&top.join("etc/motd"), "welcome\n");

    let id = records::random_id();
    let dir = root.join("containers").join(&id);
    let upper = dir.join("rw/upper");
    std::fs::create_dir_all(dir.join("rw/work")).expect("work");
    write(
        &upper.join("etc/passwd"),
        "root:x:0:0:changed in the container:/root:/bin/sh\n",
    );
    write(&upper.join("etc/new.conf"), "added\n");
    std::os::unix::fs::symlink("/", upper.join("evil")).expect("symlink");
    nix::sys::stat::mknod(
        &upper.join("gone.txt"),
        nix::sys::stat::SFlag::S_IFCHR,
        nix::sys::stat::Mode::empty(),
        0,
    )
    .expect("whiteout");
    // `cache` removed and made again: an opaque directory hiding the lower `cache/old`.
    write(&upper.join("cache/fresh"), "new\n");
    let c_path =
        std::ffi::CString::new(upper.join("cache").to_string_lossy().as_bytes()).expect("cstring");
    // SAFETY: valid NUL-terminated strings and a 1-byte value buffer.
    let rc = unsafe {
        libc::setxattr(
            c_path.as_ptr(),
            c"trusted.overlay.opaque".as_ptr(),
            b"y".as_ptr().cast(),
            1,
            0,
        )
    };
    assert_eq!(rc, 0, "setxattr: {}", std::io::Error::last_os_error());

    let config = ContainerConfig {
        id: id.parse().expect("container id"),
        name: "box".into(),
        created: chrono::Utc::now(),
        image: "test".into(),
        layers: vec![LOWER.into(), TOP.into()],
        cmd: vec!["sh".into()],
        working_dir: "/".into(),
        hostname: "box".into(),
        resources: Resources::default(),
        restart: RestartPolicy::default(),
        network_mode: "none".into(),
        stop_signal: "SIGTERM".into(),
        ..Default::default()
    };
    records::write_json(&dir.join("config.json"), &config).expect("config");
    id
}

fn berth(root: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("BERTH_CONFIG", root.join("no-config.yaml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run berth");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(data) = stdin {
        pipe.write_all(data).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Nothing mounted on the host and nothing left in `tmp/` after an operation.
fn assert_clean(root: &Path) {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
    assert!(
        !mountinfo.contains(&*root.to_string_lossy()),
        "a mount under the state root is visible on the host"
    );
    let left: Vec<_> = std::fs::read_dir(root.join("tmp")).expect("tmp").collect();
    assert!(left.is_empty(), "left in tmp/: {left:?}");
}

fn tar_names(data: &[u8]) -> Vec<String> {
    let mut archive = tar::Archive::new(data);
    archive
        .entries()
        .expect("entries")
        .map(|e| {
            e.expect("entry")
                .path()
                .expect("path")
                .to_string_lossy()
                .trim_end_matches('/')
                .to_string()
        })
        .collect()
}

#[test]
fn diff_lists_changes_like_docker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fake_container(root);
    let out = ok(&berth(root, &["diff", "box"], None));
    assert_eq!(
        out,
        "C /cache\nA /cache/fresh\nC /etc\nA /etc/new.conf\nC /etc/passwd\nA /evil\nD /gone.txt\n"
    );
    let o = berth(root, &["diff", "nobox"], None);
    assert_eq!(o.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such container: 'nobox'"));
}

#[test]
fn cp_out_of_a_stopped_container() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("state");
    let host = dir.path().join("host");
    std::fs::create_dir_all(&host).expect("mkdir");
    fake_container(&root);

    // A file onto a new name.
    ok(&berth(
        &root,
        &[
            "cp",
            "box:/etc/passwd",
            host.join("pw").to_str().expect("utf8"),
        ],
        None,
    ));
    assert_eq!(
        std::fs::read_to_string(host.join("pw")).expect("pw"),
        "root:x:0:0:changed in the container:/root:/bin/sh\n"
    );
    // A file into an existing directory keeps its name.
    ok(&berth(
        &root,
        &["cp", "box:/etc/motd", host.to_str().expect("utf8")],
        None,
    ));
    assert_eq!(
        std::fs::read_to_string(host.join("motd")).expect("motd"),
        "welcome\n"
    );
    // A directory into an existing directory: copied as a subdirectory, merged view.
    ok(&berth(
        &root,
        &["cp", "box:/etc", host.to_str().expect("utf8")],
        None,
    ));
    let mut names: Vec<String> = std::fs::read_dir(host.join("etc"))
        .expect("etc")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["hostname", "motd", "new.conf", "passwd"]);
    // `SRC/.` to a new path: the directory is created with the contents.
    let dst = host.join("etc-copy");
    ok(&berth(
        &root,
        &["cp", "box:/etc/.", dst.to_str().expect("utf8")],
        None,
    ));
    assert!(dst.join("new.conf").is_file());
    // A deleted file is gone; a missing source is an error naming it.
    let o = berth(
        &root,
        &["cp", "box:/gone.txt", host.to_str().expect("utf8")],
        None,
    );
    assert_eq!(o.status.code(), Some(125));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("could not find the file '/gone.txt' in container 'box'"),
        "{err}"
    );
    // A file to a missing directory (trailing slash) is refused.
    let o = berth(
        &root,
        &[
            "cp",
            "box:/etc/motd",
            &format!("{}/", host.join("nodir").display()),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(125));
    // To stdout as a tar.
    let o = berth(&root, &["cp", "box:/etc", "-"], None);
    let mut names = tar_names(&o.stdout);
    names.sort();
    assert_eq!(
        names,
        [
            "etc",
            "etc/hostname",
            "etc/motd",
            "etc/new.conf",
            "etc/passwd"
        ]
    );
    assert_clean(&root);
}

#[test]
fn symlinks_never_lead_out_of_the_container() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("state");
    let host = dir.path().join("host");
    std::fs::create_dir_all(&host).expect("mkdir");
    let id = fake_container(&root);

    // `/evil -> /`: reading through it reads the container's /etc/passwd, not the host's.
    ok(&berth(
        &root,
        &[
            "cp",
            "box:/evil/etc/passwd",
            host.join("pw").to_str().expect("utf8"),
        ],
        None,
    ));
    assert!(
        std::fs::read_to_string(host.join("pw"))
            .expect("pw")
            .contains("changed in the container")
    );
    // Without -L the symlink itself is copied; with -L what it points to (inside the root).
    ok(&berth(
        &root,
        &["cp", "box:/evil", host.join("link").to_str().expect("utf8")],
        None,
    ));
    assert_eq!(
        std::fs::read_link(host.join("link")).expect("link"),
        Path::new("/")
    );
    ok(&berth(
        &root,
        &[
            "cp",
            "-L",
            "box:/evil",
            host.join("all").to_str().expect("utf8"),
        ],
        None,
    ));
    assert!(host.join("all/etc/passwd").is_file());
    assert!(!host.join("all/proc").exists(), "host filesystem copied");

    // Writing through it lands in the container's /tmp, not the host's.
    let marker = format!("berth-cp-test-{id}");
    write(&host.join(&marker), "in\n");
    ok(&berth(
        &root,
        &[
            "cp",
            host.join(&marker).to_str().expect("utf8"),
            "box:/evil/tmp/",
        ],
        None,
    ));
    assert!(
        !Path::new("/tmp").join(&marker).exists(),
        "wrote to the host's /tmp"
    );
    let upper = root.join("containers").join(&id).join("rw/upper");
    assert_eq!(
        std::fs::read_to_string(upper.join("tmp").join(&marker)).expect("in ctr"),
        "in\n"
    );

    // A tar whose entries try `..` is refused.
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(1);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h.as_gnu_mut().expect("gnu").name[..12].copy_from_slice(b"../../escape");
    h.set_cksum();
    b.append(&h, &b"x"[..]).expect("append");
    let evil_tar = b.into_inner().expect("tar");
    let o = berth(&root, &["cp", "-", "box:/tmp"], Some(&evil_tar));
    assert_eq!(o.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the destination"));
    assert!(!root.join("containers").join(&id).join("escape").exists());
    assert_clean(&root);
}

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
