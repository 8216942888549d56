//! Hostile and unusual Dockerfiles and contexts (root only): symlink loops, expansions that
//! grow without bound (run under a memory cap, so a regression fails instead of eating the
//! machine), a Dockerfile that is a symlink out of the context, out-of-range `--chown` ids,
//! a byte order mark, and `COPY --from` paths climbing above the stage's root. Each fails
//! with one line naming the Dockerfile line (or succeeds as Docker does) and leaves nothing.

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;

use build_fixture::{build, build_ok, census, context};
use harness::Berth;
use std::os::unix::fs::symlink;
use std::os::unix::process::CommandExt;

/// The address space berth may use in the expansion tests: enough for a build, far less
/// than an unbounded expansion takes.
const MEMORY_CAP: u64 = 2 << 30;

/// Runs `berth build -t T DIR` with its address space capped at `MEMORY_CAP`.
fn build_capped(b: &Berth, dir: &std::path::Path) -> harness::Out {
    let mut cmd = b.cmd(&["build", "-t", "capped:1", dir.to_str().expect("utf-8")]);
    // SAFETY: setrlimit(2) only, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_CAP,
                rlim_max: MEMORY_CAP,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = cmd.output().expect("run berth");
    harness::Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Asserts a failed build: code 125, one error line containing every one of `want`.
fn assert_refused(out: &harness::Out, want: &[&str]) {
    assert_eq!(out.code, 125, "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "one error line: {out:?}");
    for w in want {
        assert!(out.stderr.contains(w), "want {w:?} in {:?}", out.stderr);
    }
}

#[test]
fn symlink_loops_in_the_context_fail_with_eloop() {
    let b = Berth::new();
    let before = census(&b);
    let cases: &[(&str, &[&str])] = &[
        (
            "FROM busybox\nCOPY loop /x\n",
            &["Dockerfile:2: COPY source 'loop'", "ELOOP", "at 'loop'"],
        ),
        (
            "FROM busybox\nCOPY a/file /x\n",
            &["Dockerfile:2: COPY source 'a/file'", "ELOOP"],
        ),
        (
            "FROM busybox\nRUN true\nADD deep/x /x\n",
            &["Dockerfile:3: ADD source 'deep/x'", "ELOOP", "at 'loop'"],
        ),
    ];
    for (i, (df, want)) in cases.iter().enumerate() {
        let dir = context(&b, &format!("ctx{i}"), &[("Dockerfile", df)]);
        symlink("loop", dir.join("loop")).expect("link");
        symlink("b", dir.join("a")).expect("link");
        symlink("a", dir.join("b")).expect("link");
        symlink("loop/x", dir.join("deep")).expect("link");
        let out = build(&b, &dir, &["-t", "loop:1"]);
        assert_refused(&out, want);
        assert_eq!(census(&b), before, "case {i} left something behind");
    }
    // A loop inside a copied directory is copied as the symlink it is.
    let dir = context(
        &b,
        "dircopy",
        &[("Dockerfile", "FROM busybox\nCOPY d /d\n"), ("d/file", "x")],
    );
    symlink("loop", dir.join("d/loop")).expect("link");
    build_ok(&b, &dir, &["-t", "loop:dir"]);
    assert_eq!(
        b.ok(&["run", "--rm", "loop:dir", "readlink", "/d/loop"]),
        "loop\n"
    );
    // A Dockerfile that is a loop itself.
    let dir = context(&b, "selfloop", &[]);
    symlink("Dockerfile", dir.join("Dockerfile")).expect("link");
    let out = build(&b, &dir, &[]);
    assert_refused(&out, &["Dockerfile 'Dockerfile': too many levels", "ELOOP"]);
}

#[test]
fn doubling_an_arg_fails_at_the_line_that_crosses_the_limit() {
    let b = Berth::new();
    // 1000 bytes doubled 24 times would be 16 GB; the limit (128 KiB) is crossed by the
    // 8th doubling (256,000 bytes), on line 10.
    let mut df = format!("FROM busybox\nARG A0={}\n", "x".repeat(1000));
    for i in 1..=24 {
        df.push_str(&format!("ARG A{i}=$A{p}$A{p}\n", p = i - 1));
    }
    df.push_str("RUN echo never\n");
    let dir = context(&b, "double", &[("Dockerfile", &df)]);
    let before = census(&b);
    let out = build_capped(&b, &dir);
    assert_refused(
        &out,
        &[
            "Dockerfile:10: ",
            "variable expansion is longer than 131072 bytes",
        ],
    );
    assert_eq!(census(&b), before, "nothing left behind");
    // Doubling through ENV, before the first FROM and in ${VAR:-...} words fails alike.
    let mut df = format!("ARG G0={}\n", "y".repeat(1000));
    for i in 1..=24 {
        df.push_str(&format!("ARG G{i}=\"${{NOPE:-$G{p}$G{p}}}\"\n", p = i - 1));
    }
    df.push_str("FROM busybox\n");
    std::fs::write(dir.join("Dockerfile"), df).expect("write");
    let out = build_capped(&b, &dir);
    assert_refused(&out, &["Dockerfile:9: ", "longer than 131072 bytes"]);
    let mut df = format!("FROM busybox\nENV E0={}\n", "z".repeat(1000));
    for i in 1..=24 {
        df.push_str(&format!("ENV E{i}=$E{p}$E{p}\n", p = i - 1));
    }
    std::fs::write(dir.join("Dockerfile"), df).expect("write");
    let out = build_capped(&b, &dir);
    assert_refused(&out, &["Dockerfile:10: ", "longer than 131072 bytes"]);
    // Many values under the word limit that together pass ARG_MAX (2 MiB) fail too:
    // 21 values of 100,000 bytes cross it at the 21st (line 22).
    let mut df = format!("FROM busybox\nARG V0={}\n", "v".repeat(100_000));
    for i in 1..=40 {
        df.push_str(&format!("ARG V{i}=$V0\n"));
    }
    std::fs::write(dir.join("Dockerfile"), df).expect("write");
    let out = build_capped(&b, &dir);
    assert_refused(
        &out,
        &[
            "Dockerfile:22: ",
            "ARG and ENV values total more than 2097152 bytes",
        ],
    );
    assert_eq!(census(&b), before, "nothing left behind");
}

#[test]
fn a_dockerfile_symlinked_out_of_the_context_is_not_read() {
    let b = Berth::new();
    let outside = b.scratch("outside");
    std::fs::write(
        outside.join("shadow"),
        "root:$6$leakedhash$abcdefgh:19000:0:99999:7:::\n",
    )
    .expect("write");
    let dir = context(&b, "ctx", &[("Dockerfile.real", "FROM busybox\n")]);
    symlink("../outside/shadow", dir.join("Dockerfile")).expect("link");
    symlink(outside.join("shadow"), dir.join("Dockerfile.abs")).expect("link");
    let before = census(&b);
    for extra in [
        vec![],
        vec!["-f", "Dockerfile.abs"],
        vec!["-f", "./sub/../Dockerfile"],
    ] {
        let f;
        let mut args: Vec<&str> = Vec::new();
        if let Some(name) = extra.get(1) {
            f = dir.join(name).to_string_lossy().into_owned();
            args = vec!["-f", f.as_str()];
        }
        let out = build(&b, &dir, &args);
        assert_refused(&out, &["leading outside the build context"]);
        let lower = out.stderr.to_lowercase();
        assert!(
            !lower.contains("leakedhash") && !lower.contains("root:"),
            "the target's content is not shown: {:?}",
            out.stderr
        );
    }
    assert_eq!(census(&b), before, "nothing left behind");
    // A symlink to a Dockerfile inside the context is fine.
    std::fs::remove_file(dir.join("Dockerfile")).expect("rm");
    symlink("Dockerfile.real", dir.join("Dockerfile")).expect("link");
    build_ok(&b, &dir, &["-t", "inside:1"]);
}

#[test]
fn chown_ids_out_of_range_are_refused() {
    let b = Berth::new();
    let before = census(&b);
    for (i, (chown, want)) in [
        ("4294967295", "user id '4294967295' is out of range"),
        ("1:4294967295", "group id '4294967295' is out of range"),
        ("4294967296", "user id '4294967296' is out of range"),
        ("-1", "user id '-1' is out of range"),
        ("99999999999999999999999", "is out of range"),
    ]
    .iter()
    .enumerate()
    {
        let df = format!("FROM busybox\nCOPY --chown={chown} f /f\n");
        let dir = context(&b, &format!("ctx{i}"), &[("Dockerfile", &df), ("f", "x")]);
        let out = build(&b, &dir, &["-t", "chown:bad"]);
        assert_refused(&out, &["Dockerfile:2: invalid --chown: ", want]);
    }
    assert_eq!(census(&b), before, "nothing left behind");
    // The largest id is accepted and kept.
    let dir = context(
        &b,
        "good",
        &[
            (
                "Dockerfile",
                "FROM busybox\nCOPY --chown=4294967294:7 f /f\n",
            ),
            ("f", "x"),
        ],
    );
    build_ok(&b, &dir, &["-t", "chown:good"]);
    assert_eq!(
        b.ok(&["run", "--rm", "chown:good", "stat", "-c", "%u:%g", "/f"]),
        "4294967294:7\n"
    );
}

#[test]
fn a_byte_order_mark_before_the_first_instruction_is_ignored() {
    let b = Berth::new();
    let dir = context(
        &b,
        "bom",
        &[(
            "Dockerfile",
            "\u{feff}FROM busybox\nRUN echo bom-ok > /x\nCMD [\"cat\", \"/x\"]\n",
        )],
    );
    build_ok(&b, &dir, &["-t", "bom:1"]);
    assert_eq!(b.ok(&["run", "--rm", "bom:1"]), "bom-ok\n");
}

#[test]
fn copy_from_a_stage_clamps_dotdot_at_the_stage_root() {
    let b = Berth::new();
    let dir = context(
        &b,
        "clamp",
        &[(
            "Dockerfile",
            "FROM busybox AS s\nRUN mkdir -p /etc && echo stage-passwd > /etc/passwd\n\
             FROM busybox\nCOPY --from=s ../../etc/passwd /got\nCOPY --from=s /../../../etc/passwd /got2\n\
             CMD [\"cat\", \"/got\", \"/got2\"]\n",
        )],
    );
    build_ok(&b, &dir, &["-t", "clamp:1"]);
    assert_eq!(
        b.ok(&["run", "--rm", "clamp:1"]),
        "stage-passwd\nstage-passwd\n"
    );
}
