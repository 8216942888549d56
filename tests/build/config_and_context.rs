//! The image config instructions (ENTRYPOINT, SHELL, STOPSIGNAL, VOLUME, HEALTHCHECK, ONBUILD), a context tar on stdin, and files a RUN deletes.

use super::*;

#[test]
fn entrypoint_shell_stopsignal_volume_healthcheck_and_onbuild() {
    let b = Berth::new();
    let base = context(
        &b,
        "base",
        &[(
            "Dockerfile",
            "FROM busybox\nSHELL [\"/bin/sh\", \"-ec\"]\nRUN echo \"$0 $-\" > /shell\nSTOPSIGNAL SIGINT\nVOLUME /data\n\
         HEALTHCHECK --interval=5s --retries=2 CMD test -f /shell\nENTRYPOINT [\"echo\", \"entry\"]\nCMD [\"default\"]\n\
         ONBUILD RUN echo triggered > /onbuild\n",
        )],
    );
    build_ok(&b, &base, &["-t", "base:1"]);
    let img = inspect(&b, "base:1");
    let cfg = &img["Config"];
    assert_eq!(cfg["Entrypoint"], serde_json::json!(["echo", "entry"]));
    assert_eq!(cfg["Cmd"], serde_json::json!(["default"]));
    assert_eq!(cfg["StopSignal"], "SIGINT");
    assert!(cfg["Volumes"].get("/data").is_some(), "{cfg}");
    assert_eq!(cfg["Shell"], serde_json::json!(["/bin/sh", "-ec"]));
    assert_eq!(
        cfg["Healthcheck"]["Test"],
        serde_json::json!(["CMD-SHELL", "test -f /shell"])
    );
    assert_eq!(cfg["Healthcheck"]["Interval"], 5_000_000_000i64);
    assert_eq!(
        cfg["OnBuild"],
        serde_json::json!(["RUN echo triggered > /onbuild"])
    );
    assert_eq!(b.ok(&["run", "--rm", "base:1"]), "entry default\n");
    assert_eq!(
        b.ok(&["run", "--rm", "--entrypoint", "cat", "base:1", "/shell"]),
        "/bin/sh ce\n",
        "SHELL set -e"
    );
    // The trigger runs in a build FROM it, and is not inherited further.
    let child = context(
        &b,
        "child",
        &[("Dockerfile", "FROM base:1\nCMD [\"/onbuild\"]\n")],
    );
    let out = build_ok(&b, &child, &["-t", "child:1"]);
    assert!(out.contains("# Executing 1 build trigger"), "{out}");
    assert_eq!(
        b.ok(&["run", "--rm", "--entrypoint", "cat", "child:1", "/onbuild"]),
        "triggered\n"
    );
    assert!(inspect(&b, "child:1")["Config"]["OnBuild"].is_null());
}

#[test]
fn a_context_tar_on_stdin_is_unpacked_and_removed() {
    let b = Berth::new();
    let mut t = tar::Builder::new(Vec::new());
    for (name, data) in [
        (
            "Dockerfile",
            &b"FROM busybox\nCOPY app/msg /msg\nCMD [\"cat\", \"/msg\"]\n"[..],
        ),
        ("app/msg", &b"from the tar\n"[..]),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        t.append_data(&mut h, name, data).expect("tar");
    }
    let tarball = t.into_inner().expect("tar");
    let mut child = b
        .cmd(&["build", "-t", "fromtar:1", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&tarball)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(b.ok(&["run", "--rm", "fromtar:1"]), "from the tar\n");
    let tmp = settled_tmp(&b);
    assert!(tmp.is_empty(), "the unpacked context is removed: {tmp:?}");
}

#[test]
fn files_a_run_deletes_stay_deleted_in_the_image() {
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN mkdir -p /d && echo old > /d/old && echo keep > /keep\n\
         RUN rm /etc/group /keep && rm -rf /d && mkdir /d && echo new > /d/new\n",
        )],
    );
    build_ok(&b, &dir, &["-t", "wh:1"]);
    let out = b.run(&[
        "run",
        "--rm",
        "wh:1",
        "sh",
        "-c",
        "ls /etc/group /keep 2>&1; ls /d",
    ]);
    assert!(out.stdout.contains("/etc/group: No such file"), "{out:?}");
    assert!(out.stdout.contains("/keep: No such file"), "{out:?}");
    assert!(
        out.stdout.trim_end().ends_with("\nnew"),
        "the recreated directory hides the old one: {out:?}"
    );
    // After a push-like round trip through save/load the whiteouts still apply.
    let tar = b.scratch("out").join("wh.tar");
    b.ok(&["save", "-o", tar.to_str().expect("utf-8"), "wh:1"]);
    let other = Berth::empty();
    other.ok(&["load", "-i", tar.to_str().expect("utf-8")]);
    let again = other.run(&[
        "run",
        "--rm",
        "wh:1",
        "sh",
        "-c",
        "ls /d; test -e /keep || echo gone",
    ]);
    assert_eq!(again.stdout, "new\ngone\n", "{again:?}");
}
