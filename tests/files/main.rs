//! diff, cp and export on a stopped container built on disk (image layers as plain
//! directories, a read-write layer with an added file, a changed file and a whiteout).
//! The overlay mounts these need work as root, which the test suite runs as.

mod copy_in_export_prune;
#[path = "../common/piped.rs"]
mod piped;
#[path = "../common/records.rs"]
mod records;

use berth::engine::{ContainerConfig, Resources, RestartPolicy};
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
    piped::output_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_berth"))
            .arg("--root")
            .arg(root)
            .args(args)
            .env("BERTH_CONFIG", root.join("no-config.yaml"))
            .stderr(Stdio::piped()),
        stdin.unwrap_or_default(),
    )
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
