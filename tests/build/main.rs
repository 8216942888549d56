//! `build` end to end against real containers (root only): multi-stage builds, the layer
//! cache, `.dockerignore`, COPY/ADD flags and heredocs, history and config, push and pull
//! of a built image. Every test has its own state root with busybox imported (tests/common).

#[path = "../common/build_fixture.rs"]
mod build_fixture;
mod config_and_context;
#[path = "../common/container_harness.rs"]
mod harness;
#[path = "../common/registry_harness.rs"]
mod registry_harness;

use build_fixture::{build, build_ok, context, inspect, settled_tmp};
use harness::Berth;

#[test]
fn multi_stage_final_image_has_only_what_the_last_stage_copied() {
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[(
            "Dockerfile",
            "ARG BASE=busybox\nFROM ${BASE} AS builder\nRUN mkdir -p /out && echo built > /out/artifact && echo junk > /junk\n\
            FROM busybox\nCOPY --from=builder /out/artifact /app/artifact\nCMD [\"cat\", \"/app/artifact\"]\n",
        )],
    );
    let out = build_ok(&b, &dir, &["-t", "multi:1"]);
    assert!(
        out.contains("Step 1/6 : ARG BASE=busybox\nStep 2/6 : FROM ${BASE} AS builder\n"),
        "{out}"
    );
    assert!(out.contains(" ---> Running in "), "{out}");
    assert!(out.contains("Removing intermediate container "), "{out}");
    assert!(out.contains("Successfully tagged multi:1"), "{out}");
    assert_eq!(b.ok(&["run", "--rm", "multi:1"]), "built\n");
    let listing = b.run(&["run", "--rm", "multi:1", "ls", "/junk", "/out"]);
    assert_ne!(
        listing.code, 0,
        "the builder stage's files are not in the final image"
    );
    // busybox's one layer plus the COPY.
    assert_eq!(
        inspect(&b, "multi:1")["RootFS"]["Layers"]
            .as_array()
            .expect("layers")
            .len(),
        2
    );
    // --target stops at the builder stage.
    build_ok(&b, &dir, &["-t", "multi:builder", "--target", "builder"]);
    assert_eq!(
        b.ok(&["run", "--rm", "multi:builder", "cat", "/junk"]),
        "junk\n"
    );
}

#[test]
fn rebuild_hits_the_cache_and_a_changed_source_misses_from_its_step_on() {
    let b = Berth::new();
    let df = "FROM busybox\nRUN echo one > /one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\nCOPY b.txt /b.txt\nCMD [\"sh\"]\n";
    let dir = context(
        &b,
        "ctx",
        &[("Dockerfile", df), ("a.txt", "A1\n"), ("b.txt", "B1\n")],
    );
    let first = build_ok(&b, &dir, &["-t", "c:1"]);
    assert!(!first.contains("Using cache"), "{first}");
    let id1 = inspect(&b, "c:1")["Id"].clone();

    let second = build_ok(&b, &dir, &["-t", "c:2"]);
    assert_eq!(second.matches(" ---> Using cache").count(), 5, "{second}");
    assert!(!second.contains("Running in"), "{second}");
    assert_eq!(
        inspect(&b, "c:2")["Id"],
        id1,
        "an all-cached rebuild gives the same image"
    );

    // Same content, new mtime: still cached.
    std::fs::write(dir.join("a.txt"), "A1\n").expect("rewrite");
    let touched = build_ok(&b, &dir, &[]);
    assert_eq!(touched.matches(" ---> Using cache").count(), 5, "{touched}");

    std::fs::write(dir.join("a.txt"), "A2\n").expect("change");
    let third = build_ok(&b, &dir, &["-t", "c:3"]);
    let steps: Vec<&str> = third.split("Step ").skip(1).collect();
    assert_eq!(steps.len(), 6, "{third}");
    assert!(
        steps[1].contains("Using cache"),
        "RUN before the change is cached: {third}"
    );
    for s in &steps[2..] {
        assert!(
            !s.contains("Using cache"),
            "steps from the change on rerun: {third}"
        );
    }
    assert_eq!(b.ok(&["run", "--rm", "c:3", "cat", "/copy"]), "A2\n");

    let nocache = build_ok(&b, &dir, &["--no-cache"]);
    assert!(!nocache.contains("Using cache"), "{nocache}");

    // system df counts the cache; builder prune empties it.
    let df = |b: &Berth| {
        b.ok(&["system", "df", "--format", "{{.Type}}={{.TotalCount}}"])
            .lines()
            .find_map(|l| l.strip_prefix("Build Cache=").map(str::to_string))
            .expect("a Build Cache row")
    };
    assert_ne!(df(&b), "0");
    b.ok(&["builder", "prune", "-f"]);
    assert_eq!(df(&b), "0");
    let after = build_ok(&b, &dir, &[]);
    assert!(!after.contains("Using cache"), "{after}");
}

#[test]
fn dockerignore_keeps_files_out_of_the_context() {
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[
            ("Dockerfile", "FROM busybox\nCOPY . /app/\n"),
            (".dockerignore", "*.secret\nlogs/\n!logs/keep.txt\n"),
            ("main.txt", "main\n"),
            ("key.secret", "s3cr3t\n"),
            ("logs/x.log", "noise\n"),
            ("logs/keep.txt", "kept\n"),
        ],
    );
    build_ok(&b, &dir, &["-t", "ign:1"]);
    let listing = b.ok(&["run", "--rm", "ign:1", "find", "/app"]);
    let mut files: Vec<&str> = listing.lines().collect();
    files.sort();
    assert_eq!(
        files,
        [
            "/app",
            "/app/.dockerignore",
            "/app/Dockerfile",
            "/app/logs",
            "/app/logs/keep.txt",
            "/app/main.txt"
        ]
    );
    // Naming an ignored file is an error.
    std::fs::write(dir.join("Dockerfile"), "FROM busybox\nCOPY key.secret /\n").expect("write");
    let out = build(&b, &dir, &[]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr
            .contains("Dockerfile:2: COPY source 'key.secret' is excluded by .dockerignore"),
        "{out:?}"
    );
}

#[test]
fn history_config_and_run_follow_the_dockerfile() {
    let b = Berth::new();
    let df = "FROM busybox\nENV GREETING=hello NAME=\"the world\"\nWORKDIR /srv/app\nRUN echo \"$GREETING\" > note && echo app:x:1234:1234::/srv:/bin/sh >> /etc/passwd\n\
        USER app\nEXPOSE 8080/tcp 53/udp\nLABEL org.example.k=v\nCMD [\"sh\", \"-c\", \"echo $GREETING $NAME; pwd; id -u\"]\n";
    let dir = context(&b, "ctx", &[("Dockerfile", df)]);
    build_ok(&b, &dir, &["-t", "cfg:1", "--label", "extra=yes"]);
    let img = inspect(&b, "cfg:1");
    let cfg = &img["Config"];
    let env: Vec<&str> = cfg["Env"]
        .as_array()
        .expect("env")
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert!(
        env.contains(&"GREETING=hello") && env.contains(&"NAME=the world"),
        "{env:?}"
    );
    assert_eq!(cfg["WorkingDir"], "/srv/app");
    assert_eq!(cfg["User"], "app");
    assert!(
        cfg["ExposedPorts"].get("8080/tcp").is_some()
            && cfg["ExposedPorts"].get("53/udp").is_some(),
        "{cfg}"
    );
    assert_eq!(cfg["Labels"]["org.example.k"], "v");
    assert_eq!(cfg["Labels"]["extra"], "yes");
    assert_eq!(
        b.ok(&["run", "--rm", "cfg:1"]),
        "hello the world\n/srv/app\n1234\n"
    );
    assert_eq!(b.ok(&["run", "--rm", "cfg:1", "cat", "note"]), "hello\n");

    // One history row per instruction after FROM (7, and one for --label) above busybox's.
    let hist = b.ok(&[
        "history",
        "--no-trunc",
        "--format",
        "{{.CreatedBy}}|{{.Size}}",
        "cfg:1",
    ]);
    let rows: Vec<&str> = hist.lines().collect();
    assert_eq!(rows.len(), 7 + 1 + 1, "{hist}");
    assert!(
        rows[0].starts_with("/bin/sh -c #(nop)  LABEL extra=yes|0B"),
        "{hist}"
    );
    assert!(
        rows[1].starts_with("/bin/sh -c #(nop)  CMD [\"sh\" \"-c\""),
        "{hist}"
    );
    assert!(
        rows[5].starts_with("/bin/sh -c echo \"$GREETING\" > note &&"),
        "{hist}"
    );
    assert!(!rows[5].ends_with("|0B"), "RUN made a layer: {hist}");
    assert_eq!(rows[6], "/bin/sh -c #(nop) WORKDIR /srv/app|0B", "{hist}");
    assert_eq!(
        rows[7], "/bin/sh -c #(nop)  ENV GREETING=hello NAME=the world|0B",
        "{hist}"
    );
    // Each step's comment names its Dockerfile line (the --label step has none).
    let comments = b.ok(&["history", "--format", "{{.Comment}}", "cfg:1"]);
    let comments: Vec<&str> = comments.lines().collect();
    assert_eq!(
        comments[..8],
        [
            "",
            "Dockerfile:8",
            "Dockerfile:7",
            "Dockerfile:6",
            "Dockerfile:5",
            "Dockerfile:4",
            "Dockerfile:3",
            "Dockerfile:2"
        ],
        "{comments:?}"
    );
}

#[test]
fn copy_add_flags_heredocs_and_args() {
    let b = Berth::new();
    let tarball = {
        let mut t = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o644);
        h.set_size(3);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        t.append_data(&mut h, "pkg/inside.txt", &b"in\n"[..])
            .expect("tar");
        t.into_inner().expect("tar")
    };
    let dir = context(
        &b,
        "ctx",
        &[
            (
                "Dockerfile",
                "FROM busybox\nARG WHO=nobody\nCOPY --chown=${WHO}:nogroup --chmod=0600 files/*.txt /data/\nADD bundle.tar /opt/\n\
            RUN <<EOF\necho from heredoc > /heredoc\necho \"arg=$WHO\" >> /heredoc\nEOF\nCOPY <<-'X' /etc/motd\n\tliteral $WHO\n\tX\n",
            ),
            ("files/one.txt", "1\n"),
            ("files/two.txt", "2\n"),
        ],
    );
    std::fs::write(dir.join("bundle.tar"), tarball).expect("write tar");
    build_ok(
        &b,
        &dir,
        &[
            "-t",
            "flags:1",
            "--build-arg",
            "WHO=root",
            "--build-arg",
            "UNUSED=1",
        ],
    );
    let ls = b.ok(&["run", "--rm", "flags:1", "sh", "-c", "stat -c '%n %U %G %a' /data/one.txt /data/two.txt; cat /opt/pkg/inside.txt /heredoc /etc/motd"]);
    assert_eq!(
        ls,
        "/data/one.txt root nogroup 600\n/data/two.txt root nogroup 600\nin\nfrom heredoc\narg=root\nliteral $WHO\n"
    );
}

#[test]
fn built_image_pushes_to_a_registry_and_runs_after_a_pull() {
    let reg = registry_harness::Registry::plain();
    let b = Berth::new();
    let dir = context(
        &b,
        "ctx",
        &[
            (
                "Dockerfile",
                "FROM busybox\nCOPY hello.txt /hello.txt\nRUN echo ran >> /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n",
            ),
            ("hello.txt", "hello from the build\n"),
        ],
    );
    let target = format!("{}/built/app:v1", reg.host);
    let q = build_ok(&b, &dir, &["-q", "-t", &target]);
    assert!(
        q.trim().starts_with("sha256:") && q.lines().count() == 1,
        "-q prints only the id: {q}"
    );
    b.ok(&["push", &target]);
    let other = Berth::empty();
    other.ok(&["pull", &target]);
    assert_eq!(
        other.ok(&["run", "--rm", &target]),
        "hello from the build\nran\n"
    );
    // Building FROM an image that is not local pulls it.
    let dir2 = context(
        &other,
        "ctx2",
        &[(
            "Dockerfile",
            &format!(
                "FROM {}/built/app:v1\nRUN echo more >> /hello.txt\n",
                reg.host
            ),
        )],
    );
    other.ok(&["rmi", &target]);
    build_ok(&other, &dir2, &["-t", "derived:1"]);
    assert_eq!(
        other.ok(&["run", "--rm", "derived:1"]),
        "hello from the build\nran\nmore\n"
    );
}
