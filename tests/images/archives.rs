//! Archives: a legacy docker-save archive with whiteouts, and hostile layer archives (tampered, .., absolute paths, symlinks, hardlinks, devices).

use super::*;

#[test]
fn load_legacy_archive_with_whiteouts() {
    let root = Root::new();
    let l1 = tar_of(&[
        Item::Dir("etc"),
        Item::File("etc/old", b"old"),
        Item::Dir("var"),
        Item::File("var/cache", b"c"),
    ]);
    let l2 = tar_of(&[
        Item::File("etc/.wh.old", b""),
        Item::Dir("var"),
        Item::File("var/.wh..wh..opq", b""),
        Item::File("var/new", b"n"),
    ]);
    let config = config_for(&[l1.clone(), l2.clone()], &["sh"]);
    let archive = legacy_archive(&config, &[l1, l2], "legacy:1");
    let path = root.write("legacy.tar", &archive);
    let out = root.berth(&["load", "-i", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Loaded image: legacy:1\n");

    let e = root.engine();
    let img = e.image("legacy:1").expect("image");
    assert_eq!(img.id, sha(&config), "the id is the config digest");
    assert_eq!(img.layers.len(), 2);
    assert_eq!(root.layer_dirs().len(), 2);
    let top = e.layer_dir(&img.layers[1]);
    let wh = std::fs::symlink_metadata(top.join("etc/old")).expect("whiteout");
    assert!(wh.file_type().is_char_device(), "whiteout is a char device");
    use std::os::unix::fs::MetadataExt;
    assert_eq!(wh.rdev(), 0);
    assert!(!top.join("etc/.wh.old").exists());
    assert!(!top.join("var/.wh..wh..opq").exists());
    let mut buf = [0u8; 8];
    let c = std::ffi::CString::new(top.join("var").display().to_string()).expect("cstring");
    // SAFETY: valid NUL-terminated strings and a buffer of the given length.
    let n = unsafe {
        libc::lgetxattr(
            c.as_ptr(),
            c"trusted.overlay.opaque".as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    assert_eq!(n, 1, "opaque xattr set");
    assert_eq!(buf[0], b'y');
}

#[test]
fn tampered_archive_stores_nothing() {
    let root = Root::new();
    let l1 = rootfs();
    let config = config_for(std::slice::from_ref(&l1), &["sh"]);
    let other = tar_of(&[Item::File("evil", b"not what the config promised")]);
    let archive = legacy_archive(&config, &[other], "bad:1");
    let path = root.write("bad.tar", &archive);
    let out = root.berth(&["load", "-i", &path]);
    assert_eq!(out.status.code(), Some(125));
    assert!(stderr(&out).contains("digest mismatch"), "{}", stderr(&out));
    assert!(root.layer_dirs().is_empty());
    assert_eq!(root.count("blobs/sha256"), 0);
    assert_eq!(root.count("tmp"), 0, "staging cleaned up");
    assert!(root.engine().images().expect("images").is_empty());
}

/// Imports `items` into a fresh root whose parent also holds an `outside/` directory;
/// returns the root, the result and the outside dir.
fn import_hostile(
    items: &[Item<'_>],
) -> (
    Root,
    Result<berth::engine::ImageId, String>,
    std::path::PathBuf,
) {
    let root = Root::new();
    let outside = root.dir.path().join("outside");
    std::fs::create_dir(&outside).expect("outside");
    let data = tar_of(items);
    let res = root
        .engine()
        .import_image(&mut data.as_slice(), Some("hostile"), &[])
        .map_err(|e| e.to_string());
    (root, res, outside)
}

fn assert_nothing_escaped(root: &Root, outside: &Path) {
    assert!(
        tree(outside).is_empty(),
        "written outside: {:?}",
        tree(outside)
    );
    let parent: Vec<String> = tree(root.dir.path())
        .into_iter()
        .filter(|p| !p.starts_with("state") && !p.starts_with("outside"))
        .collect();
    assert!(parent.is_empty(), "written next to the root: {parent:?}");
}

#[test]
fn dotdot_entries_are_rejected() {
    let (root, res, outside) = import_hostile(&[Item::File("../escape", b"x")]);
    let err = res.expect_err("must fail");
    assert!(err.contains("outside the layer"), "{err}");
    assert_nothing_escaped(&root, &outside);
    assert!(root.layer_dirs().is_empty());
    assert_eq!(root.count("tmp"), 0);
    let (root, res, outside) =
        import_hostile(&[Item::Dir("a"), Item::File("a/../../outside/x", b"x")]);
    assert!(res.is_err());
    assert_nothing_escaped(&root, &outside);
}

#[test]
fn absolute_paths_land_inside_the_layer() {
    let (root, res, outside) = import_hostile(&[Item::File("/etc/x", b"inside")]);
    let id = res.expect("absolute paths are made relative, as Docker does");
    let e = root.engine();
    let img = e.image(&id).expect("image");
    assert_eq!(
        std::fs::read(e.layer_dir(&img.layers[0]).join("etc/x")).expect("file"),
        b"inside"
    );
    assert_nothing_escaped(&root, &outside);
}

#[test]
fn files_through_a_symlink_are_refused() {
    let (root, res, outside) = {
        let root = Root::new();
        let outside = root.dir.path().join("outside");
        std::fs::create_dir(&outside).expect("outside");
        let target = outside.display().to_string();
        let data = tar_of(&[
            Item::Symlink("evil", &target),
            Item::File("evil/pwned", b"x"),
        ]);
        let res = root
            .engine()
            .import_image(&mut data.as_slice(), Some("hostile"), &[])
            .map_err(|e| e.to_string());
        (root, res, outside)
    };
    let err = res.expect_err("must fail");
    assert!(err.contains("symlink"), "{err}");
    assert_nothing_escaped(&root, &outside);
    // Through a relative symlink climbing out, too.
    let (root, res, outside) = import_hostile(&[
        Item::Symlink("up", "../../../.."),
        Item::File("up/outside/pwned", b"x"),
    ]);
    assert!(res.is_err());
    assert_nothing_escaped(&root, &outside);
}

#[test]
fn hardlinks_must_stay_inside_the_layer() {
    for target in ["/etc/passwd", "../../../../../../etc/passwd"] {
        let (root, res, outside) = import_hostile(&[Item::Hardlink("pw", target)]);
        assert!(res.is_err(), "hardlink to {target} accepted");
        assert_nothing_escaped(&root, &outside);
        assert!(root.layer_dirs().is_empty());
    }
    // A hardlink inside the layer is kept as one.
    let (root, res, _) = import_hostile(&[Item::File("a", b"data"), Item::Hardlink("b", "a")]);
    let id = res.expect("internal hardlink");
    let e = root.engine();
    let dir = e.layer_dir(&e.image(&id).expect("image").layers[0]);
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(dir.join("a")).expect("a").ino(),
        std::fs::metadata(dir.join("b")).expect("b").ino()
    );
}

#[test]
fn whiteout_of_dotdot_is_rejected_and_devices_are_skipped() {
    let (root, res, outside) = import_hostile(&[Item::Dir("d"), Item::File("d/.wh...", b"")]);
    let err = res.expect_err("must fail");
    assert!(err.contains("whiteout"), "{err}");
    assert_nothing_escaped(&root, &outside);

    let (root, res, _) = import_hostile(&[
        Item::Dir("dev"),
        Item::CharDev("dev/mem", 1, 1),
        Item::File("ok", b""),
    ]);
    let id = res.expect("devices are skipped, not fatal");
    let e = root.engine();
    let dir = e.layer_dir(&e.image(&id).expect("image").layers[0]);
    assert!(!dir.join("dev/mem").exists());
    assert!(dir.join("ok").exists());
}

#[test]
fn a_failed_save_leaves_the_target_as_it_was_and_says_why_once() {
    let a = Root::new();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let keep = out_dir.path().join("keep.tar");
    std::fs::write(&keep, b"old").expect("old");
    let out = a.berth(&["save", "-o", &keep.display().to_string(), "nope:latest"]);
    assert_eq!(out.status.code(), Some(125), "{}", stderr(&out));
    assert!(stderr(&out).contains("no such image"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&keep).expect("keep"), b"old");
    let names: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["keep.tar"], "a temporary file was left");
    // A directory that does not exist: one line naming the file, its cause said once.
    let missing = out_dir.path().join("no/such/x.tar");
    let out = a.berth(&["save", "-o", &missing.display().to_string(), "nope:latest"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(125), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains("no/such/x.tar"), "{err}");
}
