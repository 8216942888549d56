//! Resource limits (memory, pids), a read-only root, bind mounts and named volumes.

use super::*;

#[test]
fn memory_limit_oom_kills_with_137() {
    let b = Berth::new();
    let out = b.run(&[
        "run",
        "--name",
        "hog",
        "--memory",
        "32m",
        "--entrypoint",
        "dd",
        "busybox",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=96M",
        "count=1",
    ]);
    assert_eq!(out.code, 137, "{out:?}");
    let id = b.id_of("hog");
    let st = b.state(&id);
    assert_eq!(st["oom_killed"], true, "{st}");
    assert_eq!(st["exit_code"], 137, "{st}");
    assert_eq!(st["status"], "exited", "{st}");
    b.assert_no_leftovers(&id);
    // Under the limit the same command succeeds.
    let out = b.run(&[
        "run",
        "--rm",
        "--memory",
        "32m",
        "busybox",
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=4M",
        "count=1",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn pids_limit_holds() {
    let b = Berth::new();
    let id = b.run_detached(&["--pids-limit", "5", "busybox", "sleep", "60"]);
    let max = std::fs::read_to_string(cgroup_v1("pids", &id).join("pids.max"))
        .or_else(|_| std::fs::read_to_string(format!("/sys/fs/cgroup/berth/{id}/pids.max")))
        .expect("pids.max");
    assert_eq!(max.trim(), "5");
    b.ok(&["rm", "-f", &id]);

    let out = b.run(&[
        "run",
        "--rm",
        "--pids-limit",
        "5",
        "busybox",
        "sh",
        "-c",
        "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; echo all-started",
    ]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("all-started"), "{out:?}");
    assert!(out.stderr.contains("fork"), "{out:?}");
}

#[test]
fn read_only_root_refuses_writes_but_tmpfs_works() {
    let b = Berth::new();
    let out = b.run(&[
        "run",
        "--rm",
        "--read-only",
        "--tmpfs",
        "/scratch",
        "busybox",
        "sh",
        "-c",
        "echo ok > /scratch/f && cat /scratch/f; touch /etc/x",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, "ok\n");
    assert!(out.stderr.contains("Read-only file system"), "{out:?}");
    // The tmpfs is a tmpfs, and not the root's.
    let out = b.ok(&[
        "run",
        "--rm",
        "--tmpfs",
        "/tmp",
        "busybox",
        "sh",
        "-c",
        "grep ' /tmp ' /proc/mounts",
    ]);
    assert!(out.starts_with("tmpfs /tmp tmpfs"), "{out}");
}

#[test]
fn bind_mounts_read_write_and_read_only() {
    let b = Berth::new();
    let host = b.scratch("shared");
    std::fs::write(host.join("from-host"), "hello\n").expect("write");
    let spec = format!("{}:/data", host.display());
    let out = b.ok(&[
        "run",
        "--rm",
        "-v",
        &spec,
        "busybox",
        "sh",
        "-c",
        "cat /data/from-host; echo back > /data/from-container",
    ]);
    assert_eq!(out, "hello\n");
    assert_eq!(
        std::fs::read_to_string(host.join("from-container")).expect("written through"),
        "back\n"
    );
    let ro = format!("{}:/data:ro", host.display());
    let out = b.run(&[
        "run",
        "--rm",
        "-v",
        &ro,
        "busybox",
        "sh",
        "-c",
        "cat /data/from-host; echo no > /data/refused",
    ]);
    assert_eq!(out.stdout, "hello\n");
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Read-only"), "{out:?}");
    assert!(!host.join("refused").exists());
    // A file can be bind-mounted too.
    let file_spec = format!("{}:/etc/motd:ro", host.join("from-host").display());
    let out = b.ok(&[
        "run",
        "--rm",
        "-v",
        &file_spec,
        "busybox",
        "cat",
        "/etc/motd",
    ]);
    assert_eq!(out, "hello\n");
}

#[test]
fn named_volumes_persist_across_containers() {
    let b = Berth::new();
    b.ok(&[
        "run",
        "--rm",
        "-v",
        "keep:/data",
        "busybox",
        "sh",
        "-c",
        "echo persisted > /data/f",
    ]);
    let out = b.ok(&["run", "--rm", "-v", "keep:/srv", "busybox", "cat", "/srv/f"]);
    assert_eq!(out, "persisted\n");
    let out = b.ok(&[
        "run",
        "--rm",
        "-v",
        "keep:/srv:ro",
        "busybox",
        "cat",
        "/srv/f",
    ]);
    assert_eq!(out, "persisted\n");
    let data = b.root().join("volumes/keep/_data/f");
    assert_eq!(
        std::fs::read_to_string(data).expect("volume data"),
        "persisted\n"
    );
}
