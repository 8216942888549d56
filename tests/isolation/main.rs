//! What a process inside a berth container can see and do (root only): its own pid, uts,
//! mount and network namespaces, copy-on-write root, Docker's capabilities and masked paths,
//! cgroup limits, read-only roots, tmpfs, bind mounts and volumes.

#[path = "../common/container_harness.rs"]
mod harness;
mod limits_and_mounts;

use harness::{Berth, cgroup_v1};

#[test]
fn first_process_is_pid_1_and_sees_no_host_process() {
    let b = Berth::new();
    let out = b.ok(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "echo $$; ls /proc | grep -E '^[0-9]+$'",
    ]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("1"), "{out}");
    let pids: Vec<u32> = lines.map(|l| l.parse().expect("pid")).collect();
    // sh itself, and at most the ls and grep it started.
    assert!(pids.contains(&1), "{out}");
    assert!(
        pids.len() <= 3 && pids.iter().all(|p| *p <= 3),
        "the container sees other processes: {pids:?}"
    );
    let ps = b.ok(&["run", "--rm", "busybox", "ps", "-o", "pid,comm"]);
    let rows: Vec<&str> = ps.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "ps lists more than itself: {ps}");
    assert!(rows[0].trim_start().starts_with("1 "), "{ps}");
}

#[test]
fn hostname_defaults_to_the_short_id_and_can_be_set() {
    let b = Berth::new();
    let out = b.ok(&[
        "run",
        "--name",
        "named",
        "busybox",
        "sh",
        "-c",
        "hostname; cat /etc/hostname",
    ]);
    let id = b.id_of("named");
    assert_eq!(out, format!("{0}\n{0}\n", &id[..12]));
    let out = b.ok(&[
        "run",
        "--rm",
        "--hostname",
        "box.example",
        "busybox",
        "sh",
        "-c",
        "hostname; cat /etc/hostname",
    ]);
    assert_eq!(out, "box.example\nbox.example\n");
    // The host's name did not change.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("hostname");
    assert_ne!(host.trim(), "box.example");
}

#[test]
fn capabilities_and_no_new_privs_are_dockers() {
    let b = Berth::new();
    let out = b.ok(&["run", "--rm", "busybox", "cat", "/proc/self/status"]);
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in {out}"))
    };
    assert_eq!(field("CapEff"), "00000000a80425fb");
    assert_eq!(field("CapBnd"), "00000000a80425fb");
    assert_eq!(field("CapPrm"), "00000000a80425fb");
    // Docker's defaults: no_new_privs off (setuid programs in images work), nothing
    // inheritable or ambient, Docker's seccomp profile loaded.
    assert_eq!(field("NoNewPrivs"), "0");
    assert_eq!(field("CapInh"), "0000000000000000");
    assert_eq!(field("CapAmb"), "0000000000000000");
    assert_eq!(field("Seccomp"), "2");
    // A non-root user keeps no effective capabilities.
    let out = b.ok(&[
        "run",
        "--rm",
        "-u",
        "nobody",
        "busybox",
        "grep",
        "CapEff",
        "/proc/self/status",
    ]);
    assert_eq!(out.split_whitespace().nth(1), Some("0000000000000000"));
}

#[test]
fn masked_and_read_only_kernel_paths() {
    let b = Berth::new();
    // /proc/keys and /proc/timer_list are masked (empty), /proc/acpi is an empty tmpfs,
    // /proc/sys and /sys are read-only, and mount needs a capability the container lacks.
    assert!(
        std::fs::read_to_string("/proc/timer_list").is_ok_and(|k| !k.is_empty()),
        "the host's /proc/timer_list is empty: this test cannot tell masked from unmasked"
    );
    let out = b.run(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "cat /proc/keys /proc/timer_list | wc -c; ls -A /proc/acpi | wc -l; \
         echo x > /proc/sys/kernel/domainname && echo wrote-proc; \
         touch /sys/berth-test && echo wrote-sys; \
         mkdir -p /mnt/t && mount -t tmpfs t /mnt/t && echo mounted; true",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let counts: Vec<&str> = out.stdout.lines().map(str::trim).take(2).collect();
    assert_eq!(counts, ["0", "0"], "{out:?}");
    for bad in ["wrote-proc", "wrote-sys", "mounted"] {
        assert!(!out.stdout.contains(bad), "{bad}: {out:?}");
    }
}

#[test]
fn network_none_has_only_loopback_and_it_is_up() {
    let b = Berth::new();
    let out = b.ok(&["run", "--rm", "busybox", "ls", "/sys/class/net"]);
    assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["lo"]);
    let out = b.ok(&[
        "run",
        "--rm",
        "busybox",
        "cat",
        "/sys/class/net/lo/operstate",
    ]);
    assert_ne!(out.trim(), "down");
}

#[test]
fn writes_stay_in_their_own_container() {
    let b = Berth::new();
    let out = b.ok(&[
        "run",
        "--name",
        "writer",
        "busybox",
        "sh",
        "-c",
        "echo secret > /etc/berth-secret && echo changed >> /etc/passwd && rm /bin/vi && cat /etc/berth-secret",
    ]);
    assert_eq!(out, "secret\n");
    let out = b.ok(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "ls /etc/berth-secret 2>&1; grep -c changed /etc/passwd; ls /bin/vi",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("No such file"), "{out}");
    assert_eq!(lines[1], "0", "{out}");
    assert_eq!(lines[2], "/bin/vi", "{out}");
    // The image's layers are untouched; the write is in the writer's own layer.
    let layers = b.root().join("layers");
    let tree = walk(&layers);
    assert!(
        !tree.iter().any(|p| p.ends_with("berth-secret")),
        "the write reached an image layer"
    );
    assert!(
        tree.iter().any(|p| p.ends_with("bin/vi")),
        "a delete reached an image layer"
    );
    for p in tree.iter().filter(|p| p.ends_with("etc/passwd")) {
        let text = std::fs::read_to_string(p).expect("read passwd");
        assert!(!text.contains("changed"), "{} was modified", p.display());
    }
    let id = b.id_of("writer");
    let upper = b.container_dir(&id).join("rw/upper/etc/berth-secret");
    assert_eq!(
        std::fs::read_to_string(&upper).expect("upper layer"),
        "secret\n"
    );
    // And the write is still there when the writer starts again.
    b.ok(&["start", "writer"]);
    b.wait_status(&id, "exited", std::time::Duration::from_secs(10));
    let logs = b.ok(&["logs", "writer"]);
    assert!(logs.contains("secret"), "{logs}");
}

/// A removed container's directory is emptied and reused for the next container (see
/// `container::spares`): nothing of the old one may show in the new one.
#[test]
fn a_container_made_from_a_removed_ones_directory_starts_clean() {
    let b = Berth::new();
    let spares = || {
        std::fs::read_dir(b.root().join("spare"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    // One writes into its layer and logs; one also changes its root directory itself.
    b.ok(&[
        "run",
        "--name",
        "old1",
        "busybox",
        "sh",
        "-c",
        "echo s > /left; echo old-line",
    ]);
    b.ok(&[
        "run",
        "--name",
        "old2",
        "busybox",
        "sh",
        "-c",
        "chmod 700 /; echo old-line",
    ]);
    b.ok(&["rm", "old1", "old2"]);
    assert_eq!(
        spares(),
        2,
        "the removed containers' directories were not kept"
    );
    for name in ["new1", "new2"] {
        let out = b.ok(&[
            "run",
            "--name",
            name,
            "busybox",
            "sh",
            "-c",
            "ls /left 2>&1; stat -c %a /; cat /etc/hostname",
        ]);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].contains("No such file"), "{name}: {out}");
        assert_eq!(lines[1], "755", "{name}: {out}");
        let id = b.id_of(name);
        assert_eq!(lines[2], &id[..12], "{name}: {out}");
        let logs = b.ok(&["logs", name]);
        assert!(
            !logs.contains("old-line"),
            "{name} shows the old log: {logs}"
        );
        assert_eq!(b.status(&id), "exited");
        assert!(
            b.container_dir(&id)
                .join(format!("{id}-json.log"))
                .is_file(),
            "{name} has no log file of its own"
        );
    }
    assert_eq!(spares(), 0, "the new containers did not take the spares");
    // A reused directory works for a second start too.
    b.ok(&["start", "-a", "new1"]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}
