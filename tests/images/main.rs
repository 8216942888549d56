//! The local image subsystem end to end: import, images, tag, rmi, history, save/load, and
//! hostile tarballs. Each test has its own state root in a temporary directory.

mod archives;
#[path = "../common/image_fixture.rs"]
mod image_fixture;

use berth::engine::Engine;
use image_fixture::{Item, config_for, legacy_archive, sha, tar_of, tree};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output};

/// A state root that removes its runtime directory too when dropped.
struct Root {
    dir: tempfile::TempDir,
}

impl Root {
    fn new() -> Root {
        Root {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }
    fn state(&self) -> std::path::PathBuf {
        self.dir.path().join("state")
    }
    fn engine(&self) -> Engine {
        Engine::open(&self.state(), Default::default()).expect("open engine")
    }
    fn berth(&self, args: &[&str]) -> Output {
        self.berth_stdin(args, None)
    }
    fn berth_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_berth"));
        cmd.arg("--root")
            .arg(self.state())
            .arg("--config")
            .arg(self.dir.path().join("no-config.yaml"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .stdin(if stdin.is_some() {
                std::process::Stdio::piped()
            } else {
                std::process::Stdio::null()
            });
        let mut child = cmd.spawn().expect("spawn berth");
        if let Some(data) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(data)
                .expect("write stdin");
        }
        child.wait_with_output().expect("wait berth")
    }
    fn write(&self, name: &str, data: &[u8]) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, data).expect("write fixture");
        p.display().to_string()
    }
    fn layer_dirs(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.state().join("layers"))
            .expect("layers dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
    fn count(&self, sub: &str) -> usize {
        std::fs::read_dir(self.state().join(sub))
            .expect("dir")
            .count()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rootfs() -> Vec<u8> {
    tar_of(&[
        Item::Dir("bin"),
        Item::File("bin/hello", b"#!/bin/sh\necho hello\n"),
        Item::Symlink("bin/hi", "hello"),
        Item::Dir("etc"),
        Item::File("etc/os-release", b"ID=test\n"),
    ])
}

#[test]
fn import_then_images_lists_it_with_docker_columns() {
    let root = Root::new();
    let tarball = root.write("rootfs.tar", &rootfs());
    let out = root.berth(&["import", &tarball, "hello:1", "-c", "CMD [\"/bin/hello\"]"]);
    assert!(out.status.success(), "import failed: {}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert!(id.starts_with("sha256:") && id.len() == 71, "id: {id}");

    let out = root.berth(&["images"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(
        header,
        ["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"]
    );
    let row: Vec<&str> = lines.next().expect("row").split_whitespace().collect();
    assert_eq!(row[0], "hello");
    assert_eq!(row[1], "1");
    assert_eq!(row[2], &id[7..19]);
    assert!(row.contains(&"ago"), "CREATED column: {row:?}");
    assert!(lines.next().is_none());

    let out = root.berth(&["images", "-q"]);
    assert_eq!(stdout(&out).trim(), &id[7..19]);

    // The engine sees the same image, by reference and by short id.
    let e = root.engine();
    let img = e.image("hello:1").expect("by ref");
    assert_eq!(img.id, id);
    assert_eq!(e.image(&id[7..15]).expect("by short id").id, id);
    assert_eq!(
        img.config.config().as_ref().and_then(|c| c.cmd().clone()),
        Some(vec!["/bin/hello".to_string()])
    );
    let dir = e.layer_dir(&img.layers[0]);
    assert_eq!(
        std::fs::read(dir.join("bin/hello")).expect("file"),
        b"#!/bin/sh\necho hello\n"
    );
    assert_eq!(
        std::fs::read_link(dir.join("bin/hi")).expect("link"),
        Path::new("hello")
    );
}

#[test]
fn import_from_stdin_gzip_with_short_name() {
    let root = Root::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &rootfs()).expect("gzip");
    let data = gz.finish().expect("gzip");
    let out = root.berth_stdin(&["import", "-", "busybox"], Some(&data));
    assert!(out.status.success(), "{}", stderr(&out));
    let img = root.engine().image("busybox").expect("busybox");
    assert_eq!(img.repo_tags, ["busybox:latest"]);
    assert_eq!(img.config.rootfs().diff_ids()[0], sha(&rootfs()));
}

#[test]
fn images_sharing_a_layer_store_it_once() {
    let root = Root::new();
    let e = root.engine();
    let a = e
        .import_image(&mut rootfs().as_slice(), Some("a"), &["CMD a".to_string()])
        .expect("import a");
    let b = e
        .import_image(&mut rootfs().as_slice(), Some("b"), &["CMD b".to_string()])
        .expect("import b");
    assert_ne!(a, b, "different configs make different images");
    assert_eq!(root.layer_dirs().len(), 1, "the layer is stored once");
    assert_eq!(e.images().expect("images").len(), 2);
    // Removing one keeps the shared layer for the other.
    e.remove_image("a", false).expect("rmi a");
    assert_eq!(root.layer_dirs().len(), 1);
    e.remove_image("b", false).expect("rmi b");
    assert!(root.layer_dirs().is_empty());
    assert_eq!(root.count("blobs/sha256"), 0, "no blob left behind");
}

#[test]
fn tag_and_rmi_untag_then_delete() {
    let root = Root::new();
    let tarball = root.write("rootfs.tar", &rootfs());
    let id = stdout(&root.berth(&["import", &tarball, "app:1"]))
        .trim()
        .to_string();
    assert!(
        root.berth(&["tag", "app:1", "registry.example.com:5000/team/app:2"])
            .status
            .success()
    );
    assert_eq!(
        root.engine().image(&id).expect("image").repo_tags,
        ["app:1", "registry.example.com:5000/team/app:2"]
    );

    // By id with two references: refused without -f.
    let out = root.berth(&["rmi", &id[7..19]]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("must be forced"), "{}", stderr(&out));

    let out = root.berth(&["rmi", "app:1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Untagged: app:1\n");
    assert_eq!(root.layer_dirs().len(), 1);

    let out = root.berth(&["rmi", "registry.example.com:5000/team/app:2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Untagged: registry.example.com:5000/team/app:2");
    assert_eq!(lines[1], format!("Deleted: {id}"));
    assert!(root.layer_dirs().is_empty());
    assert_eq!(root.count("blobs/sha256"), 0);
    let out = root.berth(&["images", "-q"]);
    assert_eq!(stdout(&out), "");
}

#[test]
fn rmi_of_a_missing_image_is_one_line_and_exit_125() {
    let root = Root::new();
    let out = root.berth(&["rmi", "nothere:1"]);
    assert_eq!(out.status.code(), Some(125));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no such image: 'nothere:1'"), "{err}");
}

#[test]
fn history_rows_newest_first() {
    let root = Root::new();
    let tarball = root.write("rootfs.tar", &rootfs());
    let id = stdout(&root.berth(&["import", &tarball, "h", "-m", "my import"]))
        .trim()
        .to_string();
    let out = root.berth(&["history", "h"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("IMAGE")
            && lines[0].contains("CREATED BY")
            && lines[0].contains("COMMENT")
    );
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with(&id[7..19]), "{}", lines[1]);
    assert!(lines[1].ends_with("my import"), "{}", lines[1]);

    // A two-layer image with an empty CMD step: three rows, the top one has the id.
    let l1 = rootfs();
    let l2 = tar_of(&[Item::File("etc/motd", b"hi\n")]);
    let config = config_for(&[l1.clone(), l2.clone()], &["/bin/hello"]);
    let archive = legacy_archive(&config, &[l1, l2], "two:layers");
    root.engine()
        .load_images(&mut archive.as_slice())
        .expect("load");
    let rows = root.engine().image_history("two:layers").expect("history");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].id.as_deref(), Some(sha(&config).as_str()));
    assert!(rows[0].empty_layer && rows[0].size == 0);
    assert!(rows[0].created_by.contains("CMD"));
    assert_eq!(rows[1].id, None);
    assert_eq!(rows[1].size, 3, "etc/motd is 3 bytes");
    let out = root.berth(&["history", "-q", "two:layers"]);
    assert_eq!(
        stdout(&out).lines().collect::<Vec<_>>(),
        [&sha(&config)[7..19], "<missing>", "<missing>"]
    );
}

#[test]
fn save_then_load_into_a_fresh_root_keeps_the_id() {
    let a = Root::new();
    let tarball = a.write("rootfs.tar", &rootfs());
    let id = stdout(&a.berth(&["import", &tarball, "rt:v1", "-c", "ENV X=1"]))
        .trim()
        .to_string();
    let archive = a.dir.path().join("out.tar");
    let out = a.berth(&["save", "-o", &archive.display().to_string(), "rt:v1"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The archive has the Docker 25+ shape.
    let mut names = Vec::new();
    let data = std::fs::read(&archive).expect("archive");
    for e in tar::Archive::new(data.as_slice())
        .entries()
        .expect("entries")
    {
        names.push(
            e.expect("entry")
                .path()
                .expect("path")
                .display()
                .to_string(),
        );
    }
    for want in ["oci-layout", "index.json", "manifest.json", "repositories"] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n == &format!("blobs/sha256/{}", &id[7..]))
    );

    let b = Root::new();
    let out = b.berth(&["load", "-i", &archive.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Loaded image: rt:v1\n");
    let img = b.engine().image("rt:v1").expect("loaded");
    assert_eq!(img.id, id);
    assert_eq!(b.layer_dirs(), a.layer_dirs());

    // An image saved by id loads untagged.
    let c = Root::new();
    let out = a.berth(&[
        "save",
        "-o",
        &a.dir.path().join("byid.tar").display().to_string(),
        &id[7..19],
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = c.berth(&[
        "load",
        "-i",
        &a.dir.path().join("byid.tar").display().to_string(),
    ]);
    assert_eq!(stdout(&out), format!("Loaded image ID: {id}\n"));
}

#[test]
fn retagging_leaves_a_dangling_image_that_prune_removes() {
    let root = Root::new();
    let tarball = root.write("rootfs.tar", &rootfs());
    let old = stdout(&root.berth(&["import", &tarball, "p:1", "-c", "CMD old"]))
        .trim()
        .to_string();
    let new = stdout(&root.berth(&["import", &tarball, "p:1", "-c", "CMD new"]))
        .trim()
        .to_string();
    assert_ne!(old, new);
    let out = root.berth(&["images"]);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l
            .split_whitespace()
            .take(3)
            .eq(["<none>", "<none>", &old[7..19]])),
        "{text}"
    );
    let out = root.berth(&["images", "--filter", "dangling=true", "-q"]);
    assert_eq!(stdout(&out).trim(), &old[7..19]);

    let out = root.berth(&["image", "prune", "-f"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Deleted Images:\n"), "{text}");
    assert!(text.contains(&format!("deleted: {old}")), "{text}");
    assert!(text.contains("Total reclaimed space:"), "{text}");
    let left: Vec<String> = root
        .engine()
        .images()
        .expect("images")
        .into_iter()
        .map(|i| i.id.into_string())
        .collect();
    assert_eq!(left, [new]);
    assert_eq!(root.layer_dirs().len(), 1, "the shared layer stays");

    // `-a` also removes tagged images no container uses.
    let out = root.berth(&["image", "prune", "-a", "-f"]);
    assert!(stdout(&out).contains("untagged: p:1"), "{}", stdout(&out));
    assert!(root.layer_dirs().is_empty());
}
