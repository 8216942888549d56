//! Escapes refused or confined: image volumes over kernel filesystems or /etc files, the runtime's escape shapes, devices given one by one.

use super::*;

#[test]
fn image_volumes_cannot_replace_kernel_filesystems_or_etc_files() {
    let b = Berth::new();
    for (tag, dest) in [
        ("volproc", "/proc"),
        ("volattr", "/proc/self/attr"),
        ("volsys", "/sys"),
        ("volroot", "/"),
    ] {
        build(&b, tag, &format!("VOLUME {dest}"));
        let out = b.run(&["run", "--rm", "--network", "none", tag, "true"]);
        assert_eq!(out.code, 125, "{dest}: {out:?}");
        assert!(out.stderr.contains(&format!("VOLUME {dest}")), "{out:?}");
    }
    assert!(
        b.container_ids().is_empty(),
        "a refused run left a container"
    );
    let out = b.run(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        "/tmp:/proc",
        "busybox",
        "true",
    ]);
    assert_eq!(out.code, 125, "{out:?}");
    // berth's hostname and hosts win over a volume on /etc.
    build(&b, "voletc", "VOLUME /etc");
    let out = b.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--hostname",
        "inside",
        "voletc",
        "sh",
        "-c",
        "cat /etc/hostname; grep -c ip6-localhost /etc/hosts",
    ]);
    assert_eq!(out, "inside\n1\n");
}

#[test]
fn runtime_escape_shapes_are_refused_or_confined() {
    let b = Berth::new();
    // CVE-2024-21626: a working directory through a /proc magic link to a descriptor.
    for fd in ["3", "4", "5", "6", "7"] {
        let wd = format!("/proc/self/fd/{fd}");
        let out = b.run(&[
            "run",
            "--rm",
            "--network",
            "none",
            "-w",
            &wd,
            "busybox",
            "pwd",
        ]);
        assert_eq!(out.code, 125, "-w {wd}: {out:?}");
    }
    let id = b.run_detached(&["--network", "none", "busybox", "sleep", "60"]);
    let out = b.run(&["exec", "-w", "/proc/self/fd/3", &id, "pwd"]);
    assert_ne!(out.code, 0, "{out:?}");
    b.ok(&["rm", "-f", &id]);

    // CVE-2021-30465 shape: a mount target through symlinks in a shared volume that lead
    // out (absolute and with `..`): the mount lands inside the container's root.
    let outside = b.scratch("outside");
    let src = b.scratch("src");
    std::fs::write(src.join("marker"), "mounted").expect("write");
    b.ok(&["volume", "create", "shared"]);
    let out = b.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-v",
        "shared:/shared",
        "busybox",
        "sh",
        "-c",
        &format!(
            "ln -s {} /shared/abs && ln -s ../../../../../../../../{} /shared/rel && echo ok",
            outside.display(),
            outside.display()
        ),
    ]);
    assert_eq!(out, "ok\n");
    for via in ["abs", "rel"] {
        let spec = format!("{}:/shared/{via}/target", src.display());
        let out = b.ok(&[
            "run",
            "--rm",
            "--network",
            "none",
            "-v",
            "shared:/shared",
            "-v",
            &spec,
            "busybox",
            "cat",
            &format!("/shared/{via}/target/marker"),
        ]);
        assert_eq!(out, "mounted", "{via}");
    }
    let left: Vec<_> = std::fs::read_dir(&outside).expect("ls").flatten().collect();
    assert!(
        left.is_empty(),
        "a mount point was made on the host: {left:?}"
    );

    // CVE-2019-5736 shape: until it execs, a container's first process is the berth binary
    // and must not be reachable writable; the binary on the host is unchanged after a
    // container tried /proc/1/exe.
    let exe = std::fs::read(env!("CARGO_BIN_EXE_berth")).expect("read berth");
    let out = b.run(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "echo x > /proc/1/exe; echo x > /proc/self/exe; true",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read(env!("CARGO_BIN_EXE_berth")).expect("read berth"),
        exe
    );

    // CVE-2022-0492 shape: the cgroup release_agent is out of reach (no cgroupfs to mount
    // without CAP_SYS_ADMIN, and mount is filtered).
    let out = b.run(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "mkdir -p /tmp/cg && mount -t cgroup -o rdma cgroup /tmp/cg && echo mounted",
    ]);
    assert!(!out.stdout.contains("mounted"), "{out:?}");
    b.ok(&["volume", "rm", "shared"]);
}

/// A character device of the host outside Docker's default set that opens without a
/// capability of its own (the loop module's control node, or the first console's memory).
fn spare_char_device() -> &'static str {
    ["/dev/loop-control", "/dev/vcs"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("this test needs /dev/loop-control or /dev/vcs on the host")
}

#[test]
fn devices_are_given_one_by_one_and_all_to_privileged() {
    let b = Berth::new();
    let dev = spare_char_device();
    let rdev = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dev).expect("stat").rdev()
    };
    let (major, minor) = (nix::sys::stat::major(rdev), nix::sys::stat::minor(rdev));
    let ro = format!("{dev}:/dev/xk:r");
    let rw = format!("{dev}:/dev/xk");
    // Open for reading and for writing, nothing read or written (dd count=0).
    let probe = "dd if=/dev/xk of=/dev/null count=0 2>/dev/null && echo read-ok; \
                 dd if=/dev/zero of=/dev/xk count=0 2>/dev/null && echo write-ok; true";
    // Without --device, a node made in the container cannot be opened.
    let out = sh(
        &b,
        &[],
        &format!("mknod /dev/xk c {major} {minor} && echo made; {probe}"),
    );
    assert_eq!(out.stdout, "made\n", "{out:?}");
    // --device HOST:CONTAINER:r: made, readable, not writable.
    let out = sh(&b, &["--device", &ro], probe);
    assert_eq!(out.stdout, "read-ok\n", "{out:?}");
    let out = sh(&b, &["--device", &rw], probe);
    assert_eq!(out.stdout, "read-ok\nwrite-ok\n", "{out:?}");
    // --privileged: every host device, usable.
    let out = sh(
        &b,
        &["--privileged"],
        &format!("test -c {dev} && dd if={dev} of=/dev/null count=0 2>/dev/null && echo ok"),
    );
    assert_eq!(out.stdout, "ok\n", "{out:?}");
    let id = b.ok(&["create", "--device", &ro, "busybox"]);
    let shown = b.ok(&[
        "inspect",
        "--format",
        "{{json .HostConfig.Devices}}",
        id.trim(),
    ]);
    assert_eq!(
        shown.trim(),
        format!(
            r#"[{{"CgroupPermissions":"r","PathInContainer":"/dev/xk","PathOnHost":"{dev}"}}]"#
        )
    );
    b.ok(&["rm", id.trim()]);
    let out = b.run(&["create", "--device", "/etc/passwd", "busybox"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("not a device"), "{out:?}");
}

/// A block device of the host, as `major:minor` (the first in /sys/dev/block).
fn a_host_disk() -> String {
    std::fs::read_dir("/sys/dev/block")
        .expect("/sys/dev/block")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .min()
        .expect("a block device on the host")
}

#[test]
fn a_container_can_make_device_nodes_but_not_open_the_hosts_disks() {
    // As Docker: mknod is allowed (CAP_MKNOD, rule `b *:* m`), reading or writing a disk
    // is not; on cgroup v1 the devices controller says so, on v2 berth's eBPF filter.
    let b = Berth::new();
    let (major, minor) = a_host_disk()
        .split_once(':')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .expect("major:minor");
    let out = sh(
        &b,
        &[],
        &format!(
            "mknod /disk b {major} {minor} && echo made && head -c 512 /disk >/dev/null && \
             echo read; echo null=$(echo hi >/dev/null && echo ok)"
        ),
    );
    assert!(out.stdout.contains("made"), "mknod refused: {out:?}");
    assert!(
        !out.stdout.contains("read"),
        "the host's disk was read: {out:?}"
    );
    assert!(
        out.stderr.contains("Operation not permitted"),
        "not refused by the device rules: {out:?}"
    );
    assert!(
        out.stdout.contains("null=ok"),
        "/dev/null unusable: {out:?}"
    );
}
