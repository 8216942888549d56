//! `exec` into running containers (root only): the process shares the container's pid
//! namespace, hostname and filesystem, its exit code comes back, stdin reaches it, and
//! `-u`/`-w`/`-e`/`-d` work as in Docker.

#[path = "common/container_harness.rs"]
mod harness;

use harness::Berth;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

#[test]
fn exec_runs_inside_the_container() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "box",
        "--hostname",
        "boxhost",
        "busybox",
        "sh",
        "-c",
        "echo mark > /mark; sleep 300",
    ]);
    b.wait_until("marker written", Duration::from_secs(5), || {
        b.run(&["exec", "box", "cat", "/mark"]).stdout == "mark\n"
    });
    assert_eq!(b.ok(&["exec", "box", "hostname"]), "boxhost\n");
    // The container's first process is pid 1 in the namespace the exec'd process sees.
    let ps = b.ok(&["exec", "box", "ps", "-o", "pid,args"]);
    assert!(
        ps.lines()
            .any(|l| l.trim().starts_with("1 ") && l.contains("sleep 300")),
        "{ps}"
    );
    assert_eq!(b.run(&["exec", "box", "sh", "-c", "exit 7"]).code, 7);
    let missing = b.run(&["exec", "box", "nosuch"]);
    assert_eq!(missing.code, 127, "{missing:?}");
    assert!(
        missing.stderr.contains("executable file not found"),
        "{missing:?}"
    );
    assert_eq!(
        b.ok(&[
            "exec",
            "-u",
            "nobody",
            "-w",
            "/tmp",
            "box",
            "sh",
            "-c",
            "id -u; pwd"
        ]),
        "65534\n/tmp\n"
    );
    assert_eq!(
        b.ok(&[
            "exec",
            "-e",
            "GREETING=hi",
            "box",
            "sh",
            "-c",
            "echo $GREETING"
        ]),
        "hi\n"
    );
    // What the exec'd process runs is its own program, never the berth binary.
    let exe = b.ok(&["exec", "box", "readlink", "/proc/self/exe"]);
    assert_eq!(exe.trim(), "/bin/busybox");
    // Nothing of the caller's open files reaches the container.
    assert_eq!(b.ok(&["exec", "box", "ls", "/proc/1/fd"]), "0\n1\n2\n");

    // stdin with -i.
    let mut child = b
        .cmd(&["exec", "-i", "box", "sh", "-c", "read x; echo got-$x"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"hello\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "got-hello\n");

    // -d returns at once; the process runs on in the container.
    b.ok(&["exec", "-d", "box", "sleep", "123"]);
    let top = b.ok(&["top", "box"]);
    assert!(top.contains("sleep 123"), "{top}");

    b.ok(&["stop", "-t", "0", "box"]);
    let stopped = b.run(&["exec", "box", "true"]);
    assert_eq!(stopped.code, 125, "{stopped:?}");
    assert!(stopped.stderr.contains("not running"), "{stopped:?}");
    let _ = id;
}

#[test]
fn terminals_are_made_inside_the_container() {
    let b = Berth::new();
    // `run -t`: the first process's stdio is a terminal of the container's own devpts.
    let out = b.ok(&["run", "--rm", "-t", "busybox", "sh", "-c", "tty; stty size"]);
    let lines: Vec<&str> = out.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert!(lines[0].starts_with("/dev/pts/"), "{out:?}");
    let code = b
        .run(&["run", "--rm", "-t", "busybox", "sh", "-c", "exit 9"])
        .code;
    assert_eq!(code, 9);

    b.run_detached(&["--name", "termbox", "busybox", "sleep", "300"]);
    let out = b.ok(&["exec", "-t", "termbox", "tty"]);
    assert!(out.trim_end().starts_with("/dev/pts/"), "{out:?}");
    // Without -t there is no terminal.
    let plain = b.run(&["exec", "termbox", "tty"]);
    assert_eq!(plain.stdout.trim(), "not a tty");
}
