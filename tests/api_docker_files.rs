//! The Docker Engine API's container filesystem endpoints driven by the docker CLI:
//! `docker cp` both ways (`/containers/{id}/archive`). Containers run with
//! `--network none`.

#[path = "common/api_service.rs"]
mod api_service;
#[path = "common/container_harness.rs"]
mod harness;

use api_service::Service;
use harness::Berth;

#[test]
fn docker_cp_copies_files_and_directories_both_ways() {
    let b = Berth::new();
    let s = Service::start(&b);
    s.ok(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "box",
        "busybox",
        "sh",
        "-c",
        "mkdir -p /data/sub && echo inside > /data/sub/f && echo top > /data/t && sleep 300",
    ]);
    b.wait_until(
        "the files exist",
        std::time::Duration::from_secs(20),
        || b.run(&["exec", "box", "cat", "/data/sub/f"]).code == 0,
    );
    // Out of the container: a file onto a new name, a directory into a new one.
    let host = b.scratch("host");
    let file = host.join("copied.txt");
    s.ok(&["cp", "box:/data/t", file.to_str().expect("utf-8")]);
    assert_eq!(
        std::fs::read_to_string(&file).expect("copied file"),
        "top\n"
    );
    let dir = host.join("tree");
    s.ok(&["cp", "box:/data", dir.to_str().expect("utf-8")]);
    assert_eq!(
        std::fs::read_to_string(dir.join("sub/f")).expect("copied tree"),
        "inside\n"
    );
    // Into the container: onto a new name, and into an existing directory.
    let src = host.join("hello.txt");
    std::fs::write(&src, "hello from the host\n").expect("write");
    s.ok(&["cp", src.to_str().expect("utf-8"), "box:/data/renamed.txt"]);
    s.ok(&["cp", src.to_str().expect("utf-8"), "box:/data/sub"]);
    let got = s.ok(&[
        "exec",
        "box",
        "cat",
        "/data/renamed.txt",
        "/data/sub/hello.txt",
    ]);
    assert_eq!(got, "hello from the host\nhello from the host\n");
    // A missing source is an error with a non-zero exit.
    let missing = s.docker(&["cp", "box:/nope", host.to_str().expect("utf-8")]);
    assert_ne!(missing.code, 0, "{missing:?}");
    // dockerd's codes: a missing path is a 404 with its message, no path parameter a 400,
    // no such container a 404.
    let (code, answer) = s.raw("GET", "/v1.47/containers/box/archive?path=/nope");
    assert_eq!(code, 404, "{answer}");
    assert!(
        answer.contains("Could not find the file /nope in container box"),
        "{answer}"
    );
    assert_eq!(s.raw("HEAD", "/containers/box/archive?path=/nope").0, 404);
    assert_eq!(s.raw("GET", "/containers/box/archive").0, 400);
    assert_eq!(s.raw("HEAD", "/containers/ghost/archive?path=/").0, 404);
    // A large upload is streamed into the container whole.
    let big = host.join("big.bin");
    let data: Vec<u8> = (0..48u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(&big, &data).expect("write");
    s.ok(&["cp", big.to_str().expect("utf-8"), "box:/data/big.bin"]);
    let size = s.ok(&["exec", "box", "stat", "-c", "%s", "/data/big.bin"]);
    assert_eq!(size.trim(), (48u32 << 20).to_string());
    s.ok(&["rm", "-f", "box"]);
}

#[test]
fn docker_diff_lists_changes_and_docker_export_writes_the_filesystem() {
    let b = Berth::new();
    let s = Service::start(&b);
    s.ok(&[
        "run",
        "--network",
        "none",
        "--name",
        "box",
        "busybox",
        "sh",
        "-c",
        "echo new > /added && rm /bin/uname && touch /etc/passwd",
    ]);
    let diff = s.ok(&["diff", "box"]);
    let lines: Vec<&str> = diff.lines().collect();
    assert!(lines.contains(&"A /added"), "{diff}");
    assert!(lines.contains(&"D /bin/uname"), "{diff}");
    assert!(lines.contains(&"C /etc/passwd"), "{diff}");
    assert_eq!(diff, b.ok(&["diff", "box"]), "the same as berth's own diff");
    let tar = b.scratch("out").join("box.tar");
    s.ok(&["export", "-o", tar.to_str().expect("utf-8"), "box"]);
    let list = std::process::Command::new("tar")
        .arg("-tf")
        .arg(&tar)
        .output()
        .expect("run tar");
    assert!(list.status.success(), "{list:?}");
    let names = String::from_utf8_lossy(&list.stdout);
    assert!(
        names.lines().any(|n| n.trim_start_matches("./") == "added"),
        "{names}"
    );
    assert!(
        names
            .lines()
            .any(|n| n.trim_start_matches("./") == "bin/sh"),
        "{names}"
    );
    assert!(
        !names
            .lines()
            .any(|n| n.trim_start_matches("./") == "bin/uname"),
        "{names}"
    );
    let missing = s.docker(&["export", "-o", tar.to_str().expect("utf-8"), "nope"]);
    assert_ne!(missing.code, 0, "{missing:?}");
    s.ok(&["rm", "box"]);
}

#[test]
fn docker_system_df_counts_what_berth_counts() {
    let b = Berth::new();
    let s = Service::start(&b);
    s.ok(&["volume", "create", "data"]);
    s.ok(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "up",
        "-v",
        "data:/data",
        "busybox",
        "sh",
        "-c",
        "head -c 300000 /dev/zero > /big && sleep 300",
    ]);
    s.ok(&[
        "run",
        "--network",
        "none",
        "--name",
        "done",
        "busybox",
        "true",
    ]);
    b.wait_until(
        "the running container wrote its file",
        std::time::Duration::from_secs(20),
        || b.run(&["exec", "up", "test", "-s", "/big"]).code == 0,
    );
    let format = "{{.Type}} {{.TotalCount}} {{.Active}}";
    let theirs = s.ok(&["system", "df", "--format", format]);
    let ours = b.ok(&["system", "df", "--format", format]);
    assert_eq!(
        theirs.lines().take(3).collect::<Vec<_>>(),
        ["Images 1 1", "Containers 2 1", "Local Volumes 1 1"],
        "{theirs}"
    );
    assert_eq!(theirs, ours, "the same counts as berth's own system df");
    // The running container's 300000 written bytes, in the docker CLI's units.
    let sizes = s.ok(&["system", "df", "--format", "{{.Type}}: {{.Size}}"]);
    assert!(sizes.contains("Containers: 300kB"), "{sizes}");
    assert!(!sizes.contains("Images: 0B"), "{sizes}");
    s.ok(&["rm", "-f", "up", "done"]);
}
