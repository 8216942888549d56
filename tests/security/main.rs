//! What berth's security flags let a container do (root only): Docker's seccomp profile
//! by default, `--security-opt seccomp=unconfined|FILE`, `no-new-privileges`,
//! `--cap-add`/`--cap-drop`, `--privileged`, and the same filter for `exec`.

mod escapes;
#[path = "../common/container_harness.rs"]
mod harness;

use harness::Berth;

/// `FIELD:` of the container's `/proc/self/status` after `run --rm FLAGS busybox`.
fn status(b: &Berth, flags: &[&str], field: &str) -> String {
    let mut args = vec!["run", "--rm", "--network", "none"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["busybox", "cat", "/proc/self/status"]);
    let out = b.ok(&args);
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("no {field} in {out}"))
}

/// Runs `sh -c SCRIPT` in a container with `flags`; its exit code and output.
fn sh(b: &Berth, flags: &[&str], script: &str) -> harness::Out {
    let mut args = vec!["run", "--rm", "--network", "none"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["busybox", "sh", "-c", script]);
    b.run(&args)
}

#[test]
fn the_default_profile_filters_and_unconfined_does_not() {
    let b = Berth::new();
    assert_eq!(status(&b, &[], "Seccomp"), "2");
    assert_eq!(
        status(&b, &["--security-opt", "seccomp=unconfined"], "Seccomp"),
        "0"
    );
    // A user namespace: refused by the profile (unshare needs CAP_SYS_ADMIN there) ...
    let out = sh(&b, &[], "unshare -U true && echo made-userns");
    assert!(!out.stdout.contains("made-userns"), "{out:?}");
    assert!(out.stderr.contains("Operation not permitted"), "{out:?}");
    // ... and allowed without a filter, as the kernel allows it to anyone.
    let out = sh(
        &b,
        &["--security-opt", "seccomp=unconfined"],
        "unshare -U true && echo made-userns",
    );
    assert!(out.stdout.contains("made-userns"), "{out:?}");
    // clone with namespace flags is refused, plain fork works.
    let out = sh(&b, &[], "unshare -n true; echo $?; (true) && echo forked");
    assert_eq!(out.stdout, "1\nforked\n", "{out:?}");
}

#[test]
fn a_profile_file_in_dockers_format_is_applied() {
    let b = Berth::new();
    let dir = b.scratch("profiles");
    let profile = dir.join("no-mkdir.json");
    std::fs::write(
        &profile,
        r#"{"defaultAction":"SCMP_ACT_ALLOW",
            "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}"#,
    )
    .expect("write profile");
    let opt = format!("seccomp={}", profile.display());
    let out = sh(
        &b,
        &["--security-opt", &opt],
        "mkdir /tmp/x || echo refused",
    );
    assert!(out.stdout.contains("refused"), "{out:?}");
    assert!(
        out.stderr.contains("Permission denied"),
        "EACCES (13): {out:?}"
    );
    // A bad profile is refused at create: exit 125, one line, no container.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"defaultAction":"SCMP_ACT_SOMETIMES"}"#).expect("write");
    let opt = format!("seccomp={}", bad.display());
    let out = b.run(&["create", "--security-opt", &opt, "busybox", "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("SCMP_ACT_SOMETIMES"), "{out:?}");
    assert!(b.container_ids().is_empty(), "a container was left");
    let out = b.run(&[
        "create",
        "--security-opt",
        "seccomp=/no/such.json",
        "busybox",
    ]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("/no/such.json"), "{out:?}");
}

#[test]
fn no_new_privileges_on_request() {
    let b = Berth::new();
    assert_eq!(status(&b, &[], "NoNewPrivs"), "0");
    assert_eq!(
        status(&b, &["--security-opt", "no-new-privileges"], "NoNewPrivs"),
        "1"
    );
    assert_eq!(
        status(&b, &["--security-opt", "no-new-privileges:true"], "Seccomp"),
        "2"
    );
    let out = b.run(&[
        "create",
        "--security-opt",
        "no-new-privileges=maybe",
        "busybox",
    ]);
    assert_eq!(out.code, 125, "{out:?}");
}

#[test]
fn capabilities_are_added_and_dropped_as_docker_does() {
    let b = Berth::new();
    assert_eq!(
        status(&b, &["--cap-drop", "ALL"], "CapEff"),
        "0000000000000000"
    );
    assert_eq!(
        status(&b, &["--cap-drop", "ALL"], "CapBnd"),
        "0000000000000000"
    );
    // CAP_NET_ADMIN (bit 12) is not a default; --cap-add NET_ADMIN gives it.
    let eff = status(&b, &["--cap-add", "net_admin"], "CapEff");
    let bits = u64::from_str_radix(&eff, 16).expect("hex");
    assert_ne!(bits & (1 << 12), 0, "{eff}");
    let change_lo = "ip addr add 10.77.0.1/32 dev lo && echo changed";
    assert!(!sh(&b, &[], change_lo).stdout.contains("changed"));
    let out = sh(&b, &["--cap-add", "CAP_NET_ADMIN"], change_lo);
    assert!(out.stdout.contains("changed"), "{out:?}");
    // CAP_CHOWN dropped: chown fails for root.
    let out = sh(
        &b,
        &["--cap-drop", "chown"],
        "touch /tmp/f && chown nobody /tmp/f && echo chowned",
    );
    assert!(!out.stdout.contains("chowned"), "{out:?}");
    let out = b.run(&["create", "--cap-add", "FLY", "busybox"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("CAP_FLY"), "{out:?}");
    // inspect shows what was asked.
    let id = b.ok(&[
        "create",
        "--cap-add",
        "NET_ADMIN",
        "--cap-drop",
        "MKNOD",
        "busybox",
    ]);
    let caps = b.ok(&[
        "inspect",
        "--format",
        "{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}}",
        id.trim(),
    ]);
    assert_eq!(caps.trim(), r#"["CAP_NET_ADMIN"] ["CAP_MKNOD"]"#);
    b.ok(&["rm", id.trim()]);
}

#[test]
fn privileged_can_mount_and_runs_unfiltered() {
    let b = Berth::new();
    let out = sh(&b, &[], "mount -t tmpfs none /tmp && echo mounted");
    assert!(!out.stdout.contains("mounted"), "{out:?}");
    let script = "mount -t tmpfs none /tmp && echo mounted; grep Seccomp: /proc/self/status; \
                  grep ' /sys sysfs ' /proc/mounts; grep -c ' /proc/keys ' /proc/mounts";
    let out = sh(&b, &["--privileged"], script);
    assert!(out.stdout.contains("mounted"), "{out:?}");
    assert!(out.stdout.contains("Seccomp:\t0"), "{out:?}");
    // /sys is writable and no path is masked.
    assert!(out.stdout.contains(" /sys sysfs rw,"), "{out:?}");
    assert!(
        out.stdout.ends_with("\n0\n"),
        "/proc/keys is masked: {out:?}"
    );
    let out = sh(&b, &[], script);
    assert!(out.stdout.contains(" /sys sysfs ro,"), "{out:?}");
    assert!(
        out.stdout.ends_with("\n1\n"),
        "/proc/keys is not masked: {out:?}"
    );
    let privileged = b.ok(&["create", "--privileged", "busybox"]);
    let shown = b.ok(&[
        "inspect",
        "--format",
        "{{.HostConfig.Privileged}}",
        privileged.trim(),
    ]);
    assert_eq!(shown.trim(), "true");
    b.ok(&["rm", privileged.trim()]);
}

#[test]
fn exec_gets_the_containers_filter_and_capabilities() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--network",
        "none",
        "--cap-drop",
        "ALL",
        "busybox",
        "sleep",
        "60",
    ]);
    let out = b.ok(&["exec", &id, "cat", "/proc/self/status"]);
    assert!(out.contains("Seccomp:\t2"), "{out}");
    assert!(out.contains("CapEff:\t0000000000000000"), "{out}");
    let out = b.run(&["exec", &id, "unshare", "-U", "true"]);
    assert_ne!(out.code, 0, "{out:?}");
    b.ok(&["rm", "-f", &id]);
}

/// Runs `argv` as the host user nobody (setpriv), returns its output.
fn as_nobody(argv: &[&str]) -> std::process::Output {
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .args(argv)
        .output()
        .expect("run setpriv")
}

#[test]
fn host_users_cannot_reach_the_state_root() {
    use std::os::unix::fs::PermissionsExt;
    let b = Berth::new();
    let root = b.root();
    let layers = root.join("layers");
    let chain = std::fs::read_dir(&layers)
        .expect("layers")
        .flatten()
        .next()
        .expect("a layer")
        .path();
    let busybox = chain.join("diff/bin/busybox");
    assert!(busybox.exists(), "{}", busybox.display());
    // A root as an older berth left it: every directory open to everyone (the test's own
    // temporary directory too, so only berth's modes stand in the way).
    let open = |p: &std::path::Path| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod")
    };
    for p in [root.parent().expect("parent"), &root, &layers, &chain] {
        open(p);
    }
    let ls = as_nobody(&["ls", layers.to_str().expect("utf-8")]);
    assert!(ls.status.success(), "the test cannot open the root: {ls:?}");
    // The next berth command closes it.
    b.ok(&["ps"]);
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    for d in ["layers", "containers", "volumes", "tmp"] {
        assert_eq!(mode(&root.join(d)), 0o700, "{d}");
    }
    let ls = as_nobody(&["ls", layers.to_str().expect("utf-8")]);
    assert!(!ls.status.success(), "nobody lists the layers: {ls:?}");
    // (From a shell that already is nobody: setpriv's own exec still holds root's rights.)
    let script = format!("exec {} true", busybox.display());
    let run = as_nobody(&["/bin/sh", "-c", &script]);
    assert!(
        !run.status.success(),
        "nobody runs a layer's binary: {run:?}"
    );
}

#[test]
fn cp_out_of_a_container_strips_setuid_and_makes_no_devices() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let b = Berth::new();
    let id = b.run_detached(&[
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "mkdir /loot && cp /bin/busybox /loot/rootshell && chmod 6755 /loot/rootshell && \
         mknod /loot/disk b 8 0 && mknod /loot/null c 1 3 && mkfifo /loot/pipe && \
         echo data > /loot/plain && chmod 2750 /loot/plain && touch /ready && sleep 60",
    ]);
    b.wait_until(
        "the container made its files",
        std::time::Duration::from_secs(10),
        || b.run(&["exec", &id, "test", "-e", "/ready"]).code == 0,
    );
    let dest = b.scratch("out");
    let target = dest.join("loot");
    let out = b.run(&[
        "cp",
        &format!("{id}:/loot"),
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let mode = |n: &str| {
        std::fs::symlink_metadata(target.join(n))
            .expect(n)
            .permissions()
            .mode()
            & 0o7777
    };
    assert_eq!(mode("rootshell"), 0o755, "setuid/setgid kept");
    assert_eq!(mode("plain"), 0o750, "setgid kept");
    for n in ["disk", "null", "pipe"] {
        let made = std::fs::symlink_metadata(target.join(n));
        assert!(
            made.as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
            "{n} was made on the host: {:?}",
            made.map(|m| m.file_type().is_block_device())
        );
        assert!(
            out.stderr.contains(n),
            "the warning does not name {n}: {out:?}"
        );
    }
    // A tar stream (`cp CONTAINER:SRC -`) carries them as they are.
    let tar = b
        .cmd(&["cp", &format!("{id}:/loot/rootshell"), "-"])
        .output()
        .expect("cp -");
    let mut archive = tar::Archive::new(&tar.stdout[..]);
    let entry = archive
        .entries()
        .expect("tar")
        .next()
        .expect("entry")
        .expect("entry");
    assert_eq!(entry.header().mode().expect("mode") & 0o7777, 0o6755);
    b.ok(&["rm", "-f", &id]);
}

/// Builds `FROM busybox` + `extra` as image `tag`.
fn build(b: &Berth, tag: &str, extra: &str) {
    let ctx = b.scratch(&format!("ctx-{tag}"));
    std::fs::write(ctx.join("Dockerfile"), format!("FROM busybox\n{extra}\n")).expect("write");
    b.ok(&[
        "build",
        "-q",
        "--network",
        "none",
        "-t",
        tag,
        ctx.to_str().expect("utf-8"),
    ]);
}
