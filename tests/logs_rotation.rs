//! Container logs (root only): every line is kept by default, as Docker's json-file driver
//! does; `--log-opt max-size/max-file/compress` rotate (and gzip) as asked, and `logs`
//! (with `--tail` and `-f`) reads across the rotated files in order, oldest first.

#[path = "common/container_harness.rs"]
mod harness;

use harness::{Berth, LineReader, wait_child};
use std::time::Duration;

/// Runs `seq 1 N` detached with `opts`, waits for its exit; returns its id.
fn seq_container(b: &Berth, name: &str, opts: &[&str], n: u32) -> String {
    let count = n.to_string();
    let mut args = vec!["--name", name, "--network", "none"];
    args.extend_from_slice(opts);
    args.extend_from_slice(&["busybox", "seq", "1", &count]);
    let id = b.run_detached(&args);
    b.wait_status(&id, "exited", Duration::from_secs(60));
    id
}

/// The container's log files by name, sorted.
fn log_files(b: &Berth, id: &str) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(b.container_dir(id))
        .expect("container dir")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let len = e.metadata().ok()?.len();
            name.starts_with(&format!("{id}-json.log"))
                .then(|| (name.replacen(id, "ID", 1), len))
        })
        .collect();
    files.sort();
    files
}

/// The numbers `logs ARGS` prints, checked to be consecutive; returns (first, last, count).
fn consecutive(b: &Berth, args: &[&str]) -> (u64, u64, usize) {
    let out = b.ok(args);
    let nums: Vec<u64> = out
        .lines()
        .map(|l| l.parse().unwrap_or_else(|_| panic!("not a number: {l:?}")))
        .collect();
    assert!(!nums.is_empty(), "no lines from {args:?}");
    for w in nums.windows(2) {
        assert_eq!(
            w[1],
            w[0] + 1,
            "a gap or disorder in {args:?}: {} then {}",
            w[0],
            w[1]
        );
    }
    (nums[0], nums[nums.len() - 1], nums.len())
}

#[test]
fn a_million_lines_all_come_back_by_default() {
    let b = Berth::new();
    let id = seq_container(&b, "million", &[], 1_000_000);
    let out = b.ok(&["logs", "million"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1_000_000);
    assert_eq!(lines[0], "1");
    assert_eq!(lines[999_999], "1000000");
    let files = log_files(&b, &id);
    assert_eq!(files.len(), 1, "no rotation by default: {files:?}");
    let inspect = b.ok(&["inspect", "-f", "{{json .HostConfig.LogConfig}}", "million"]);
    assert_eq!(inspect.trim(), r#"{"Config":{},"Type":"json-file"}"#);
}

#[test]
fn rotation_keeps_max_file_files_of_the_newest_lines_and_reads_them_in_order() {
    let b = Berth::new();
    let id = seq_container(
        &b,
        "rot",
        &["--log-opt", "max-size=100k", "--log-opt", "max-file=3"],
        50_000,
    );
    let files = log_files(&b, &id);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["ID-json.log", "ID-json.log.1", "ID-json.log.2"]);
    for (name, len) in &files {
        assert!(*len <= 100_000, "{name} has {len} bytes, over max-size");
    }
    let (first, last, count) = consecutive(&b, &["logs", "rot"]);
    assert_eq!(last, 50_000, "the newest lines are kept");
    assert!(first > 1, "older lines rotated away");
    // Two full files and part of a third: roughly 2..3 x 100 kB of ~70-byte lines.
    assert!((2500..4500).contains(&count), "{count} lines kept");
    // --tail reaching back into the rotated files.
    let tail = (count - 10).to_string();
    let (tail_first, tail_last, tail_count) = consecutive(&b, &["logs", "--tail", &tail, "rot"]);
    assert_eq!(
        (tail_first, tail_last, tail_count),
        (first + 10, 50_000, count - 10)
    );
    let inspect = b.ok(&["inspect", "-f", "{{json .HostConfig.LogConfig}}", "rot"]);
    assert_eq!(
        inspect.trim(),
        r#"{"Config":{"max-file":"3","max-size":"100k"},"Type":"json-file"}"#
    );
}

#[test]
fn compressed_rotation_gzips_and_logs_still_reads_in_order() {
    let b = Berth::new();
    let id = seq_container(
        &b,
        "gz",
        &[
            "--log-opt",
            "max-size=100k",
            "--log-opt",
            "max-file=4",
            "--log-opt",
            "compress=true",
        ],
        50_000,
    );
    let files = log_files(&b, &id);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ID-json.log",
            "ID-json.log.1.gz",
            "ID-json.log.2.gz",
            "ID-json.log.3.gz"
        ]
    );
    let gz = std::fs::read(b.container_dir(&id).join(format!("{id}-json.log.1.gz")))
        .expect("read .1.gz");
    assert_eq!(&gz[..2], [0x1f, 0x8b], "gzip magic");
    let (first, last, count) = consecutive(&b, &["logs", "gz"]);
    assert_eq!(last, 50_000);
    assert!(first > 1);
    assert!((3500..6000).contains(&count), "{count} lines kept");
    let (_, _, tail_count) = consecutive(&b, &["logs", "--tail", "3000", "gz"]);
    assert_eq!(tail_count, 3000);
}

#[test]
fn follow_reads_across_rotations_without_losing_lines() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "fol",
        "--network",
        "none",
        "--log-opt",
        "max-size=20k",
        "--log-opt",
        "max-file=500",
        "busybox",
        "sh",
        "-c",
        "sleep 1; seq 1 20000",
    ]);
    let mut follower = b.spawn(&["logs", "-f", "fol"]);
    let reader = LineReader::new(&mut follower);
    let mut expected = 1u64;
    while expected <= 20_000 {
        let line = reader
            .next_line(Duration::from_secs(20))
            .unwrap_or_else(|| panic!("logs -f stalled waiting for {expected}"));
        assert_eq!(
            line,
            expected.to_string(),
            "logs -f lost or reordered lines"
        );
        expected += 1;
    }
    let status = wait_child(&mut follower, Duration::from_secs(20), "logs -f");
    assert!(status.success(), "{status}");
    assert!(
        log_files(&b, &id).len() > 10,
        "the writer rotated many times"
    );
}

#[test]
fn bad_log_options_fail_cleanly_without_a_container() {
    let b = Berth::new();
    for (opts, message) in [
        (
            vec!["--log-opt", "max-sise=10m"],
            "unknown log opt 'max-sise' for json-file log driver",
        ),
        (vec!["--log-opt", "max-size=lots"], "invalid size: 'lots'"),
        (
            vec!["--log-opt", "max-file=0"],
            "max-file cannot be less than 1",
        ),
        (
            vec!["--log-opt", "compress=true"],
            "compress cannot be true when max-file is less than 2 or max-size is not set",
        ),
        (vec!["--log-driver", "syslog"], "log driver 'syslog'"),
    ] {
        for verb in [["run", "-d"].as_slice(), ["create"].as_slice()] {
            let mut args: Vec<&str> = verb.to_vec();
            args.extend(["--network", "none"]);
            args.extend(opts.iter().copied());
            args.extend(["busybox", "true"]);
            let out = b.run(&args);
            assert_eq!(out.code, 125, "{args:?}: {out:?}");
            assert!(out.stderr.contains(message), "{args:?}: {out:?}");
            assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
            assert!(out.stdout.is_empty(), "{out:?}");
        }
    }
    assert_eq!(b.container_ids(), Vec::<String>::new());
}
