//! Volumes as a container's life uses them (root only): `run --rm` takes the container's
//! anonymous volumes and leaves named ones; an image's VOLUME content is copied into a new
//! volume (symlinks as symlinks); settings that cannot run give a clear error at create.

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build_ok, context};
use harness::Berth;

fn volume_names(b: &Berth) -> Vec<String> {
    let mut v: Vec<String> = b
        .ok(&["volume", "ls", "-q"])
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// An image whose VOLUME directory holds a file, a symlink to a host-looking path, and
/// an owner and mode of its own.
fn volume_image(b: &Berth) {
    let dir = context(
        b,
        "ctx",
        &[(
            "Dockerfile",
            "FROM busybox\n\
             RUN mkdir -p /data/sub && echo hi > /data/f && echo deep > /data/sub/g \
             && ln -s /etc/shadow /data/link && chown -R 7:8 /data && chmod 750 /data\n\
             VOLUME /data\n",
        )],
    );
    build_ok(b, &dir, &["-q", "-t", "volimg"]);
}

#[test]
fn run_rm_removes_anonymous_volumes_and_keeps_named_ones() {
    let b = Berth::new();
    volume_image(&b);
    let out = b.ok(&[
        "run",
        "--rm",
        "-v",
        "keep:/keep",
        "volimg",
        "sh",
        "-c",
        "echo x > /keep/x; cat /data/f",
    ]);
    assert_eq!(out, "hi\n");
    assert_eq!(volume_names(&b), vec!["keep".to_string()]);
    // Detached with --rm: the shim removes them when the container exits.
    let id = b.run_detached(&["--rm", "-v", "/anon", "busybox", "true"]);
    b.wait_until(
        "the --rm container to go",
        std::time::Duration::from_secs(10),
        &mut || !b.container_dir(&id).exists(),
    );
    assert_eq!(volume_names(&b), vec!["keep".to_string()]);
    // Without --rm, `rm` keeps them and `rm -v` removes them, as in Docker.
    b.ok(&["create", "--name", "c1", "volimg", "true"]);
    b.ok(&["rm", "c1"]);
    assert_eq!(volume_names(&b).len(), 2, "{:?}", volume_names(&b));
}

#[test]
fn image_volume_content_is_copied_into_a_new_volume() {
    let b = Berth::new();
    volume_image(&b);
    let out = b.ok(&[
        "run",
        "--rm",
        "volimg",
        "sh",
        "-c",
        "cat /data/f /data/sub/g; readlink /data/link; stat -c '%u:%g %a' /data",
    ]);
    assert_eq!(out, "hi\ndeep\n/etc/shadow\n7:8 750\n");
    // A new named volume is filled too; one that exists keeps its own content.
    b.ok(&["run", "--rm", "-v", "fresh:/data", "volimg", "true"]);
    let out = b.ok(&["run", "--rm", "-v", "fresh:/v", "busybox", "cat", "/v/f"]);
    assert_eq!(out, "hi\n");
    b.ok(&["volume", "create", "mine"]);
    b.ok(&[
        "run",
        "--rm",
        "-v",
        "mine:/v",
        "busybox",
        "sh",
        "-c",
        "echo own > /v/own",
    ]);
    let out = b.ok(&["run", "--rm", "-v", "mine:/data", "volimg", "ls", "/data"]);
    assert_eq!(out, "own\n");
    // The symlink was copied as a link: the host's file was never read into the volume.
    let data = b.root().join("volumes").join("fresh").join("_data");
    let link = std::fs::symlink_metadata(data.join("link")).expect("link in the volume");
    assert!(link.file_type().is_symlink());
}

#[test]
fn ids_out_of_range_and_proc_working_dirs_are_clear_errors() {
    let b = Berth::new();
    for user in ["4294967295", "0:4294967295", "0:-1"] {
        let out = b.run(&["run", "--rm", "-u", user, "busybox", "id"]);
        assert_eq!(out.code, 125, "{out:?}");
        assert!(
            out.stderr
                .contains("uids and gids must be in range 0-2147483647"),
            "-u {user}: {out:?}"
        );
        assert!(!out.stderr.contains("EINVAL"), "{out:?}");
    }
    // The same from an image's USER.
    let dir = context(
        &b,
        "u",
        &[("Dockerfile", "FROM busybox\nUSER 4294967295\n")],
    );
    build_ok(&b, &dir, &["-q", "-t", "baduser"]);
    let out = b.run(&["run", "--rm", "baduser", "id"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("must be in range"), "{out:?}");

    for wd in ["/proc/self/fd/3", "/proc/self/fd/99", "/proc/1/cwd"] {
        let out = b.run(&["run", "--rm", "-w", wd, "busybox", "pwd"]);
        assert_eq!(out.code, 125, "{out:?}");
        assert!(
            out.stderr
                .contains(&format!("the working directory '{wd}' is invalid")),
            "-w {wd}: {out:?}"
        );
        assert!(!out.stderr.contains("os error"), "{out:?}");
    }
    let dir = context(
        &b,
        "w",
        &[("Dockerfile", "FROM busybox\nWORKDIR /proc/self/fd/7\n")],
    );
    build_ok(&b, &dir, &["-q", "-t", "badwd"]);
    let out = b.run(&["run", "--rm", "badwd", "pwd"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("is invalid"), "{out:?}");
    // Through a symlink of the image, the container's start says so.
    let dir = context(
        &b,
        "l",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN ln -s /proc/self/fd/3 /app\nWORKDIR /app\n",
        )],
    );
    build_ok(&b, &dir, &["-q", "-t", "linkwd"]);
    let out = b.run(&["run", "--rm", "linkwd", "pwd"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr
            .contains("the working directory '/app' is invalid"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("ELOOP"), "{out:?}");
}
