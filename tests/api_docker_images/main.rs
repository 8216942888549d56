//! Images and registries over the Docker Engine API served by `berth system service`,
//! driven by the real docker CLI: `docker build` (the legacy builder's stream, a failing
//! RUN's exit and message; `--pull`, a foreign `--platform` refused), `docker login`/`push`/`pull` against a loopback registry with
//! htpasswd auth (credentials travel in `X-Registry-Auth`; the service stores none),
//! `docker save | docker load`, and clients that go away mid-upload. Each test has its own
//! state root and socket; containers run with `--network none`.

#[path = "../common/api_service.rs"]
mod api_service;
mod archives;
mod build_pull;
#[path = "../common/container_harness.rs"]
mod harness;
#[path = "../common/registry_harness.rs"]
mod registry_harness;

use api_service::Service;
use harness::Berth;
use registry_harness::Registry;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::Command;
use std::time::Duration;

/// The legacy builder, as the docker CLI picks it when the buildx plugin is missing.
const LEGACY: &[(&str, &str)] = &[("DOCKER_BUILDKIT", "0")];

/// Scratch entries of the state root's `tmp/` (build contexts, load spools).
fn scratch_entries(b: &Berth) -> Vec<String> {
    std::fs::read_dir(b.root().join("tmp"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("build-context") || n.starts_with("load-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn docker_build_makes_an_image_both_clis_list_and_a_failing_run_exits_non_zero() {
    let b = Berth::new();
    let s = Service::start(&b);
    let ctx = b.scratch("ctx");
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM busybox\nARG WHO=nobody\nRUN echo built-by-$WHO && echo built-by-$WHO > /hello\nCOPY greeting.txt /greeting.txt\nCMD [\"cat\", \"/hello\", \"/greeting.txt\"]\n",
    )
    .expect("Dockerfile");
    std::fs::write(ctx.join("greeting.txt"), "hello from the context\n").expect("file");
    std::fs::write(
        ctx.join("Dockerfile.fail"),
        "FROM busybox\nRUN echo about-to-fail; exit 3\n",
    )
    .expect("Dockerfile.fail");
    let dir = ctx.to_str().expect("utf-8");
    let failing = ctx.join("Dockerfile.fail");

    let out = s.docker_env(
        LEGACY,
        &[
            "build",
            "--network",
            "none",
            "--build-arg",
            "WHO=api",
            "--label",
            "made.by=api",
            "-t",
            "apibuilt:v1",
            dir,
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    for want in [
        "Step 1/6 : FROM busybox",
        "Step 3/6 : RUN echo built-by-$WHO",
        " ---> Running in ",
        "built-by-api\n",
        "Removing intermediate container ",
        "Successfully built ",
        "Successfully tagged apibuilt:v1",
    ] {
        assert!(out.stdout.contains(want), "{want:?} missing: {out:?}");
    }
    let listed = s.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(listed.lines().any(|l| l == "apibuilt:v1"), "{listed}");
    let own = b.ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(own.lines().any(|l| l == "apibuilt:v1"), "{own}");
    let label = s.ok(&[
        "image",
        "inspect",
        "--format",
        "{{index .Config.Labels \"made.by\"}}",
        "apibuilt:v1",
    ]);
    assert_eq!(label.trim(), "api");
    let ran = s.ok(&["run", "--rm", "--network", "none", "apibuilt:v1"]);
    assert_eq!(ran, "built-by-api\nhello from the context\n");

    // A second build of the same context comes from the cache; -q prints the id alone.
    let id = s.ok(&["image", "inspect", "--format", "{{.Id}}", "apibuilt:v1"]);
    // Without DOCKER_BUILDKIT: the docker CLI without its buildx plugin (Debian's docker.io
    // ships none) picks the legacy builder by itself.
    let quiet = s.docker_env(
        &[],
        &[
            "build",
            "-q",
            "--network",
            "none",
            "--build-arg",
            "WHO=api",
            "--label",
            "made.by=api",
            dir,
        ],
    );
    assert_eq!(
        (quiet.code, quiet.stdout.trim()),
        (0, id.trim()),
        "{quiet:?}"
    );

    // A failing RUN: Docker's message, a non-zero exit, no image, no container, no context.
    let out = s.docker_env(
        LEGACY,
        &[
            "build",
            "--network",
            "none",
            "-f",
            failing.to_str().expect("utf-8"),
            "-t",
            "apifail",
            dir,
        ],
    );
    // As against dockerd, the docker CLI exits with the failing RUN's code.
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stdout.contains("about-to-fail"), "{out:?}");
    assert!(
        out.stderr.contains(
            "The command '/bin/sh -c echo about-to-fail; exit 3' returned a non-zero code: 3"
        ),
        "{out:?}"
    );
    // berth's own build exits with the same code.
    let own = b.run(&["build", "-f", failing.to_str().expect("utf-8"), dir]);
    assert_eq!(own.code, 3, "{own:?}");
    let own = b.ok(&["images", "--format", "{{.Repository}}"]);
    assert!(!own.contains("apifail"), "{own}");
    assert_eq!(
        b.ok(&["ps", "-aq"]).trim(),
        "",
        "the RUN's container is gone"
    );
    assert!(scratch_entries(&b).is_empty(), "{:?}", scratch_entries(&b));

    // BuildKit is refused with what to do instead.
    let out = Command::new("curl")
        .args(["-s", "-X", "POST", "--unix-socket"])
        .arg(&s.sock)
        .arg("http://berth/v1.47/session")
        .output()
        .expect("curl");
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(body.contains("DOCKER_BUILDKIT=0"), "{body}");
}

#[test]
fn docker_login_push_and_pull_carry_credentials_to_an_htpasswd_registry() {
    let b = Berth::new();
    let s = Service::start(&b);
    let reg = Registry::with_auth("tester", "s3cret");
    let host = reg.host.as_str();

    let wrong = s.docker(&["login", "-u", "tester", "-p", "wrong", host]);
    assert_ne!(wrong.code, 0, "{wrong:?}");
    assert!(
        wrong.stderr.contains("incorrect username or password"),
        "{wrong:?}"
    );
    let ok = s.docker(&["login", "-u", "tester", "-p", "s3cret", host]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stdout.contains("Login Succeeded"), "{ok:?}");
    // The docker CLI keeps the credentials in its own file; the service stores none.
    let client = std::fs::read_to_string(s.docker_config.join("config.json")).expect("config");
    assert!(client.contains(host), "{client}");
    let stored: Vec<_> = std::fs::read_dir(&s.berth_config)
        .expect("dir")
        .flatten()
        .collect();
    assert!(stored.is_empty(), "the service stored {stored:?}");

    let reference = format!("{host}/api/pushed:v1");
    s.ok(&["tag", "busybox:latest", &reference]);
    let pushed = s.ok(&["push", &reference]);
    assert!(
        pushed.contains(&format!(
            "The push refers to repository [{host}/api/pushed]"
        )),
        "{pushed}"
    );
    assert!(pushed.contains("Pushed"), "{pushed}");
    assert!(pushed.contains("v1: digest: sha256:"), "{pushed}");
    let digest = pushed
        .split("digest: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("digest")
        .to_string();
    assert!(
        reg.blob_file(&digest).exists(),
        "the registry has the manifest"
    );

    s.ok(&["rmi", &reference]);
    let pulled = s.ok(&["pull", &reference]);
    assert!(
        pulled.contains("Status: Downloaded newer image"),
        "{pulled}"
    );
    assert!(pulled.contains(&format!("Digest: {digest}")), "{pulled}");
    let ran = s.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        &reference,
        "echo",
        "ran",
    ]);
    assert_eq!(ran, "ran\n");

    // A build whose base image is only in the registry pulls it with the CLI's
    // credentials (`X-Registry-Config`).
    s.ok(&["rmi", &reference]);
    let ctx = b.scratch("ctx");
    std::fs::write(
        ctx.join("Dockerfile"),
        format!("FROM {reference}\nRUN echo on-top\n"),
    )
    .expect("Dockerfile");
    let built = s.docker_env(
        LEGACY,
        &[
            "build",
            "--network",
            "none",
            "-t",
            "ontop",
            ctx.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(built.code, 0, "{built:?}");
    assert!(built.stdout.contains("on-top"), "{built:?}");

    // `push -a`: every local tag of the name (no `tag` parameter).
    s.ok(&["tag", "busybox:latest", &format!("{host}/api/pushed:v2")]);
    let all = s.ok(&["push", "-a", &format!("{host}/api/pushed")]);
    assert!(
        all.contains("v1: digest: sha256:") && all.contains("v2: digest: sha256:"),
        "{all}"
    );

    // Without the client's credentials the registry refuses: they came from the header.
    s.ok(&["logout", host]);
    s.ok(&["rmi", &reference]);
    let refused = s.docker(&["pull", &reference]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(
        refused.stderr.contains("unauthorized") && refused.stderr.contains("docker login"),
        "{refused:?}"
    );
    let other = format!("{host}/api/other:v1");
    s.ok(&["tag", "busybox:latest", &other]);
    let refused = s.docker(&["push", &other]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(refused.stderr.contains("unauthorized"), "{refused:?}");
    // A name with no local image: dockerd's message.
    let missing = s.docker(&["push", &format!("{host}/api/nothing:v1")]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(
        missing.stderr.contains(&format!(
            "An image does not exist locally with the tag: {host}/api/nothing"
        )),
        "{missing:?}"
    );
}

#[test]
fn docker_save_and_load_round_trip_an_image() {
    let b = Berth::new();
    let s = Service::start(&b);
    let archive = b.scratch("out").join("busybox.tar");
    let file = archive.to_str().expect("utf-8");
    let id = s.ok(&["image", "inspect", "--format", "{{.Id}}", "busybox:latest"]);
    s.ok(&["save", "-o", file, "busybox:latest"]);
    let tar = std::fs::read(&archive).expect("archive");
    let names: Vec<String> = tar::Archive::new(&tar[..])
        .entries()
        .expect("tar")
        .map(|e| {
            e.expect("entry")
                .path()
                .expect("path")
                .display()
                .to_string()
        })
        .collect();
    assert!(names.iter().any(|n| n == "manifest.json"), "{names:?}");

    s.ok(&["rmi", "busybox:latest"]);
    let loaded = s.ok(&["load", "-i", file]);
    assert_eq!(loaded.trim(), "Loaded image: busybox:latest");

    // Two names in one archive (`names` repeated), loaded back under both.
    s.ok(&["tag", "busybox:latest", "second:v1"]);
    let both = b.scratch("out").join("both.tar");
    s.ok(&[
        "save",
        "-o",
        both.to_str().expect("utf-8"),
        "busybox",
        "second:v1",
    ]);
    s.ok(&["rmi", "busybox:latest", "second:v1"]);
    let loaded = s.ok(&["load", "-i", both.to_str().expect("utf-8")]);
    assert_eq!(
        loaded,
        "Loaded image: busybox:latest\nLoaded image: second:v1\n"
    );
    assert_eq!(
        s.ok(&["image", "inspect", "--format", "{{.Id}}", "busybox:latest"]),
        id
    );
    let ran = s.ok(&[
        "run",
        "--rm",
        "--network",
        "none",
        "busybox",
        "echo",
        "back",
    ]);
    assert_eq!(ran, "back\n");

    let missing = s.docker(&["save", "-o", file, "nothing-here:v9"]);
    assert_ne!(missing.code, 0, "{missing:?}");
    let garbage = b.scratch("out").join("garbage.tar");
    std::fs::write(&garbage, vec![7u8; 4096]).expect("garbage");
    let bad = s.docker(&["load", "-i", garbage.to_str().expect("utf-8")]);
    assert_ne!(bad.code, 0, "{bad:?}");
    let ids: std::collections::BTreeSet<String> = s
        .ok(&["images", "-q"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "one image (two tags), nothing from the garbage"
    );
}

/// Sends the head of an upload of `announced` bytes to `path`, `sent` bytes of `body`,
/// then hangs up.
fn hang_up_mid_upload(s: &Service, path: &str, body: &[u8], announced: usize) {
    let mut c = UnixStream::connect(&s.sock).expect("connect");
    write!(
        c,
        "POST {path} HTTP/1.1\r\nHost: berth\r\nContent-Type: application/x-tar\r\nContent-Length: {announced}\r\n\r\n"
    )
    .expect("head");
    c.write_all(body).expect("body");
    std::thread::sleep(Duration::from_millis(300));
    drop(c);
}
