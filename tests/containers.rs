//! `run` and `create` end to end against real containers (root only): exit codes, berth's
//! own errors, and the options that shape the container's process.

#[path = "common/container_harness.rs"]
mod harness;

use harness::{Berth, cgroup_v1};
use std::time::Duration;

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one error line, got {stderr:?}");
    lines[0]
}

#[test]
fn exit_codes_propagate() {
    let b = Berth::new();
    let out = b.run(&["run", "--rm", "busybox", "sh", "-c", "echo out; exit 3"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "out\n");
    assert!(
        b.container_ids().is_empty(),
        "--rm container still there after run returned"
    );
    let out = b.run(&["run", "--rm", "busybox", "true"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.run(&["run", "--rm", "busybox", "sh", "-c", "exit 255"]);
    assert_eq!(out.code, 255, "{out:?}");
    // stderr is the container's, kept apart from stdout.
    let out = b.run(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "echo oops >&2; exit 1",
    ]);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""), "{out:?}");
    assert_eq!(out.stderr, "oops\n");
}

#[test]
fn berths_own_errors_exit_125_with_one_line_and_leave_nothing() {
    let b = Berth::new();
    let cases: &[(&[&str], &str)] = &[
        // Without `--pull never` a missing image is pulled first (tests/pull_on_run.rs).
        (
            &["run", "--pull", "never", "--rm", "nosuchimage", "true"],
            "nosuchimage",
        ),
        (&["run", "--memory", "abc", "busybox", "true"], "abc"),
        (&["run", "--cpus", "lots", "busybox", "true"], "lots"),
        (
            &["run", "--restart", "sometimes", "busybox", "true"],
            "sometimes",
        ),
        (&["run", "--pids-limit", "x", "busybox", "true"], ""),
        (&["run", "--no-such-flag", "busybox", "true"], ""),
        (
            &["run", "-v", "/does/not/exist:/data", "busybox", "true"],
            "/does/not/exist",
        ),
    ];
    for (args, mentions) in cases {
        let out = b.run(args);
        assert_eq!(out.code, 125, "berth {args:?}: {out:?}");
        let line = if out.stderr.lines().count() == 1 {
            one_line(&out.stderr).to_string()
        } else {
            // clap's usage errors carry a usage hint; the first line is the error.
            out.stderr.lines().next().unwrap_or_default().to_string()
        };
        assert!(
            line.contains("error") || line.starts_with("berth:"),
            "{line}"
        );
        assert!(line.contains(mentions), "berth {args:?}: {line}");
        assert!(
            out.stdout.is_empty(),
            "berth {args:?} printed {:?}",
            out.stdout
        );
        assert!(
            b.container_ids().is_empty(),
            "berth {args:?} left a container"
        );
    }
}

#[test]
fn a_name_in_use_is_refused_and_the_first_container_is_untouched() {
    let b = Berth::new();
    let first = b.run_detached(&["--name", "taken", "busybox", "sleep", "60"]);
    let out = b.run(&["run", "-d", "--name", "taken", "busybox", "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    let line = one_line(&out.stderr);
    assert!(
        line.contains("'taken'") && line.contains(&first[..12]),
        "{line}"
    );
    assert_eq!(b.container_ids(), vec![first.clone()]);
    assert_eq!(b.status(&first), "running");
    let out = b.run(&["create", "--name", "taken", "busybox", "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert_eq!(b.container_ids(), vec![first]);
}

#[test]
fn not_executable_is_126_and_not_found_is_127() {
    let b = Berth::new();
    // With --rm nothing stays.
    let out = b.run(&["run", "--rm", "busybox", "/etc/passwd"]);
    assert_eq!(out.code, 126, "{out:?}");
    assert!(one_line(&out.stderr).contains("/etc/passwd"));
    let out = b.run(&["run", "--rm", "busybox", "/bin"]);
    assert_eq!(out.code, 126, "{out:?}");
    let out = b.run(&["run", "--rm", "busybox", "no-such-command"]);
    assert_eq!(out.code, 127, "{out:?}");
    assert!(one_line(&out.stderr).contains("no-such-command"));
    let out = b.run(&["run", "--rm", "busybox", "/no/such/path"]);
    assert_eq!(out.code, 127, "{out:?}");
    assert!(b.container_ids().is_empty(), "--rm left a container");

    // Without --rm, as in Docker, the container stays in 'created' with the reason.
    let out = b.run(&["run", "--name", "failed", "busybox", "no-such-command"]);
    assert_eq!(out.code, 127, "{out:?}");
    one_line(&out.stderr);
    let id = b.id_of("failed");
    let st = b.state(&id);
    assert_eq!(st["status"], "created", "{st}");
    assert_eq!(st["exit_code"], 127, "{st}");
    assert!(
        st["error"]
            .as_str()
            .unwrap_or_default()
            .contains("no-such-command"),
        "{st}"
    );
    // It never ran: no start time, no pid.
    let out = b.ok(&[
        "inspect",
        "--format",
        "{{.State.StartedAt}} {{.State.Pid}}",
        "failed",
    ]);
    assert_eq!(out.trim(), "0001-01-01T00:00:00Z 0", "{st}");
    b.assert_no_leftovers(&id);
    // Detached with --rm, nothing stays either.
    let out = b.run(&["run", "-d", "--rm", "busybox", "no-such-command"]);
    assert_eq!(out.code, 127, "{out:?}");
    assert_eq!(b.container_ids(), vec![id.clone()]);
    // Detached, the failure is reported the same way.
    let out = b.run(&["run", "-d", "busybox", "/etc/passwd"]);
    assert_eq!(out.code, 126, "{out:?}");
    one_line(&out.stderr);
    assert!(out.stdout.is_empty(), "{out:?}");
    // And `start` of a container that cannot start says so with the same code.
    let out = b.run(&["start", "failed"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("no-such-command"), "{out:?}");
}

#[test]
fn environment_options() {
    let b = Berth::new();
    let dir = b.scratch("env");
    let env_file = dir.join("list.env");
    std::fs::write(&env_file, "# a comment\nFROM_FILE=yes\n\nSHARED=file\n").expect("write");
    let out = b.ok(&[
        "run",
        "--rm",
        "--env-file",
        env_file.to_str().expect("path"),
        "-e",
        "GREETING=hello world",
        "-e",
        "SHARED=flag",
        "busybox",
        "sh",
        "-c",
        "echo \"$GREETING|$FROM_FILE|$SHARED|$HOSTNAME|$HOME|$PATH\"",
    ]);
    let fields: Vec<&str> = out.trim().split('|').collect();
    assert_eq!(fields[..3], ["hello world", "yes", "flag"], "{out}");
    assert_eq!(fields[3].len(), 12, "HOSTNAME is the short id: {out}");
    assert_eq!(fields[4], "/root", "{out}");
    assert!(fields[5].contains("/bin"), "{out}");
}

#[test]
fn working_dir_is_created_and_user_is_applied() {
    let b = Berth::new();
    let out = b.ok(&["run", "--rm", "-w", "/made/for/me", "busybox", "pwd"]);
    assert_eq!(out, "/made/for/me\n");
    let out = b.ok(&["run", "--rm", "busybox", "pwd"]);
    assert_eq!(out, "/\n");
    let out = b.ok(&[
        "run",
        "--rm",
        "-u",
        "nobody",
        "busybox",
        "sh",
        "-c",
        "id -u; id -g",
    ]);
    assert_eq!(out, "65534\n65534\n");
    let out = b.ok(&[
        "run",
        "--rm",
        "-u",
        "1234:5678",
        "busybox",
        "sh",
        "-c",
        "id -u; id -g",
    ]);
    assert_eq!(out, "1234\n5678\n");
    // A user that is not in the image's /etc/passwd is berth's error.
    let out = b.run(&["run", "--rm", "-u", "nosuchuser", "busybox", "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(one_line(&out.stderr).contains("nosuchuser"), "{out:?}");
    // A non-root user cannot write where root owns.
    let out = b.run(&["run", "--rm", "-u", "nobody", "busybox", "touch", "/bin/x"]);
    assert_ne!(out.code, 0, "{out:?}");
}

#[test]
fn entrypoint_and_cmd() {
    let b = Berth::new();
    let out = b.ok(&["run", "--rm", "--entrypoint", "echo", "busybox", "a", "b"]);
    assert_eq!(out, "a b\n");
    // The image's CMD ["sh"] with no stdin just exits 0.
    let out = b.run(&["run", "--rm", "busybox"]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = b.ok(&[
        "run",
        "--rm",
        "--entrypoint",
        "",
        "busybox",
        "echo",
        "plain",
    ]);
    assert_eq!(out, "plain\n");
}

#[test]
fn labels_are_recorded() {
    let b = Berth::new();
    let id = b.run_detached(&["-l", "team=blue", "--label", "empty", "busybox", "true"]);
    let labels = &b.config(&id)["labels"];
    assert_eq!(labels["team"], "blue", "{labels}");
    assert_eq!(labels["empty"], "", "{labels}");
}

#[test]
fn cpus_set_the_cfs_quota() {
    let b = Berth::new();
    let id = b.run_detached(&["--cpus", "0.5", "busybox", "sleep", "60"]);
    let quota = std::fs::read_to_string(cgroup_v1("cpu", &id).join("cpu.cfs_quota_us"))
        .or_else(|_| {
            std::fs::read_to_string(format!("/sys/fs/cgroup/berth/{id}/cpu.max"))
                .map(|s| s.split_whitespace().next().unwrap_or_default().to_string())
        })
        .expect("cpu quota file");
    assert_eq!(quota.trim(), "50000");
    b.ok(&["rm", "-f", &id]);
    b.assert_no_leftovers(&id);
}

#[test]
fn rm_removes_after_exit() {
    let b = Berth::new();
    let id = b.run_detached(&["--rm", "busybox", "sh", "-c", "sleep 0.2"]);
    b.wait_until("the --rm container to go", Duration::from_secs(10), || {
        !b.container_dir(&id).exists()
    });
    b.assert_no_leftovers(&id);
    assert!(b.container_ids().is_empty());
}
