//! `rmi` of a built image (root only): it deletes the image and its own build steps that
//! nothing else uses, as Docker deletes an image's untagged parents; other builds' cached
//! steps (dangling intermediates, e.g. of a failed build) and layers shared with other
//! images stay.

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build, build_ok, context};
use harness::Berth;

fn layer_dirs(b: &Berth) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(b.root().join("layers"))
        .expect("layers")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect()
}

#[test]
fn rmi_deletes_only_the_image_and_its_own_unshared_build_steps() {
    let b = Berth::new();
    // A failed build leaves its first RUN cached: a dangling intermediate.
    let failed = context(
        &b,
        "failed",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN echo a > /a\nRUN echo b > /b\nRUN false\n",
        )],
    );
    assert_eq!(build(&b, &failed, &[]).code, 1);
    // Two images sharing their first step.
    let t = context(
        &b,
        "t",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN echo shared > /s\nRUN echo t > /t\nCMD [\"cat\", \"/t\"]\n",
        )],
    );
    let u = context(
        &b,
        "u",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN echo shared > /s\nRUN echo u > /u\n",
        )],
    );
    build_ok(&b, &t, &["-t", "t:1"]);
    build_ok(&b, &u, &["-t", "u:1"]);
    let before = layer_dirs(&b);

    let out = b.ok(&["rmi", "t:1"]);
    let deleted: Vec<&str> = out.lines().filter(|l| l.starts_with("Deleted: ")).collect();
    assert!(out.starts_with("Untagged: t:1\n"), "{out}");
    assert_eq!(
        deleted.len(),
        2,
        "the image and its one unshared layer, nothing else: {out}"
    );
    let after = layer_dirs(&b);
    assert_eq!(
        before.difference(&after).count(),
        1,
        "only t's own layer went"
    );
    assert_eq!(
        b.ok(&["run", "--rm", "u:1", "cat", "/s", "/u"]),
        "shared\nu\n"
    );

    // The failed build's steps are still cached.
    std::fs::write(
        failed.join("Dockerfile"),
        "FROM busybox\nRUN echo a > /a\nRUN echo b > /b\nCMD [\"cat\", \"/a\", \"/b\"]\n",
    )
    .expect("write");
    let again = build_ok(&b, &failed, &["-t", "a:1"]);
    assert_eq!(again.matches("Using cache").count(), 2, "{again}");
    assert_eq!(b.ok(&["run", "--rm", "a:1"]), "a\nb\n");
    // t's shared step is still cached (u builds on it); its own step is gone with it.
    let again = build_ok(&b, &t, &["-t", "t:1"]);
    assert_eq!(again.matches("Using cache").count(), 1, "{again}");
    assert_eq!(b.ok(&["run", "--rm", "t:1"]), "t\n");
}
