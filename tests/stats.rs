//! `stats --no-stream` (root only): the CPU % of the last second comes from the samples
//! each container's shim keeps, so a busy loop reads about one CPU and a sleeping
//! container about none, on the first and only frame.

#[path = "common/container_harness.rs"]
mod harness;

use harness::{Berth, cgroup_v1};
use std::time::{Duration, Instant};

/// The CPU time container `id` used so far, read from its cgroup (v1 or v2) by the test
/// itself: the reference `stats` is checked against on a machine busy with other work.
fn cgroup_cpu_ns(id: &str) -> u64 {
    let v1 = cgroup_v1("cpuacct", id).join("cpuacct.usage");
    if let Ok(t) = std::fs::read_to_string(&v1) {
        return t.trim().parse().expect("cpuacct.usage");
    }
    let v2 = std::path::Path::new("/sys/fs/cgroup/berth")
        .join(id)
        .join("cpu.stat");
    let t = std::fs::read_to_string(&v2).expect("cpu.stat");
    t.lines()
        .find_map(|l| l.strip_prefix("usage_usec "))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .expect("usage_usec")
        * 1000
}

/// The CPU % column of `stats --no-stream NAME`.
fn cpu_of(b: &Berth, name: &str) -> f64 {
    let out = b.ok(&["stats", "--no-stream", "--format", "{{.CPUPerc}}", name]);
    out.trim()
        .trim_end_matches('%')
        .parse()
        .unwrap_or_else(|_| panic!("CPU % of {name}: {out:?}"))
}

#[test]
fn no_stream_shows_the_last_seconds_cpu_of_busy_and_idle_containers() {
    let b = Berth::new();
    let idle = b.run_detached(&[
        "--name",
        "idle",
        "--network",
        "none",
        "busybox",
        "sleep",
        "300",
    ]);
    let busy_id = b.run_detached(&[
        "--name",
        "busy",
        "--network",
        "none",
        "busybox",
        "sh",
        "-c",
        "while :; do :; done",
    ]);
    // The shims sample once a second: wait for their second sample.
    std::thread::sleep(Duration::from_millis(2200));
    let samples = std::fs::read_dir("/run/berth")
        .expect("runtime dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".cpu"))
        .count();
    assert!(samples >= 2, "each running container's shim keeps samples");

    // One core spinning: about 100 % on an idle machine. Other work on the machine can
    // take part of the core, so the figure is also checked against the share the loop
    // really got over the same second and a half, measured here from its cgroup.
    let mut seen = Vec::new();
    b.wait_until(
        "the busy loop's CPU % matches its use",
        Duration::from_secs(20),
        || {
            let (u0, t0) = (cgroup_cpu_ns(&busy_id), Instant::now());
            std::thread::sleep(Duration::from_millis(1500));
            let busy = cpu_of(&b, "busy");
            let used =
                (cgroup_cpu_ns(&busy_id) - u0) as f64 / t0.elapsed().as_nanos() as f64 * 100.0;
            seen.push((busy, used));
            let near = (busy - used).abs() <= 15.0_f64.max(used * 0.3);
            near && busy <= 150.0 && (used < 50.0 || busy >= 50.0) && busy > 10.0
        },
    );
    eprintln!("busy loop: (stats, measured) {seen:?}");
    let idle_cpu = cpu_of(&b, "idle");
    assert!(idle_cpu < 5.0, "a sleeping container uses {idle_cpu}%");

    // Every running container in one table, each with its figure.
    let table = b.ok(&["stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}}"]);
    let mut rows: Vec<&str> = table.lines().collect();
    rows.sort();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(
        rows[0].starts_with("busy ") && rows[1].starts_with("idle "),
        "{table}"
    );

    // A stopped container's shim takes its samples with it.
    b.ok(&["stop", "-t", "0", "idle"]);
    let dash = b.ok(&["stats", "--no-stream", "--format", "{{.CPUPerc}}", "idle"]);
    assert_eq!(dash.trim(), "--");
    b.assert_no_leftovers(&idle);
}
