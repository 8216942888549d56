//! `build` failures against real containers (root only): a failed RUN, and malformed or
//! hostile Dockerfiles, which must fail with a line-numbered error and leave nothing behind.

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build, build_ok, census, context};
use harness::Berth;

#[test]
fn failed_run_reports_its_code_and_keeps_earlier_cache() {
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN echo first > /f\nRUN echo oops && false\n",
        )],
    );
    let before = census(&b);
    let out = build(&b, &dir, &["-t", "bad:1"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("oops"),
        "the failing step's output is shown: {out:?}"
    );
    assert!(
        out.stderr
            .contains("The command '/bin/sh -c echo oops && false' returned a non-zero code: 1"),
        "{out:?}"
    );
    let after = census(&b);
    assert_eq!(after.0, before.0, "no image");
    assert_eq!(after.3, before.3, "no container left");
    assert!(b.run(&["image", "inspect", "bad:1"]).code != 0);
    // The first RUN is cached.
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM busybox\nRUN echo first > /f\nCMD [\"cat\", \"/f\"]\n",
    )
    .expect("write");
    let again = build_ok(&b, &dir, &["-t", "good:1"]);
    assert_eq!(again.matches("Using cache").count(), 1, "{again}");
    assert_eq!(b.ok(&["run", "--rm", "good:1"]), "first\n");
}

#[test]
fn malformed_and_hostile_dockerfiles_fail_with_line_numbers_and_leave_nothing() {
    let b = Berth::new();
    let outside = b.scratch("outside");
    std::fs::write(outside.join("secret"), "host secret\n").expect("write");
    let cases: &[(&str, &str)] = &[
        (
            "FROM busybox\nCOPY ../outside/secret /s\n",
            "Dockerfile:2: COPY source '../outside/secret' is outside the build context",
        ),
        (
            "FROM busybox\nRUN true\nCOPY link /s\n",
            "Dockerfile:3: COPY source 'link' is a symlink leading outside the build context",
        ),
        (
            "FROM busybox\nADD abs /s\n",
            "Dockerfile:2: ADD source 'abs' is a symlink leading outside the build context",
        ),
        (
            "FROM busybox\nRUN <<EOF\necho never ends\n",
            "Dockerfile:2: unterminated heredoc 'EOF'",
        ),
        (
            "FROM busybox\n\nFORM busybox\n",
            "Dockerfile:3: unknown instruction 'FORM'",
        ),
        (
            "FROM busybox\nCMD [\"sh\", \"-c\"\n",
            "Dockerfile:2: invalid JSON array for CMD",
        ),
        (
            "FROM busybox\nCOPY --frm=x /x /y\n",
            "Dockerfile:2: unknown flag '--frm' for COPY",
        ),
    ];
    let before = census(&b);
    for (i, (df, want)) in cases.iter().enumerate() {
        let dir = context(&b, &format!("ctx{i}"), &[("Dockerfile", df)]);
        std::os::unix::fs::symlink("../outside/secret", dir.join("link")).expect("link");
        std::os::unix::fs::symlink("/etc/shadow", dir.join("abs")).expect("link");
        let out = build(&b, &dir, &["-t", "hostile:1"]);
        assert_eq!(out.code, 125, "case {i}: {out:?}");
        assert!(
            out.stderr.contains(want),
            "case {i}: want {want:?}, got {:?}",
            out.stderr
        );
        assert_eq!(
            out.stderr.lines().count(),
            1,
            "one error line: {:?}",
            out.stderr
        );
        assert_eq!(census(&b), before, "case {i} left something behind");
    }
    // From stdin there is no context at all.
    let mut child = b
        .cmd(&["build", "-"])
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
        .write_all(b"FROM busybox\nCOPY x /x\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(125));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Dockerfile:2: COPY source 'x': there is no build context")
    );
}

#[test]
fn ctrl_c_stops_a_build_and_removes_its_container() {
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[("Dockerfile", "FROM busybox\nRUN echo started && sleep 60\n")],
    );
    let before = census(&b);
    let mut child = b
        .cmd(&["build", "-t", "slow:1", dir.to_str().expect("utf-8")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = harness::LineReader::new(&mut child);
    loop {
        let l = lines
            .next_line(std::time::Duration::from_secs(30))
            .expect("the RUN starts");
        if l.contains("started") {
            break;
        }
    }
    // SAFETY: kill(2) on the build process this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = harness::wait_child(
        &mut child,
        std::time::Duration::from_secs(20),
        "build after ctrl-c",
    );
    assert_eq!(status.code(), Some(125));
    let after = census(&b);
    assert_eq!(
        (after.0, after.3),
        (before.0, before.3),
        "no image, no container left"
    );
}
