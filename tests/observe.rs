//! Watching containers (root only): `top` lists the processes started inside with host
//! pids, `stats` figures move the right way, and `events` written by one berth process are
//! read by another that follows them.

#[path = "common/container_harness.rs"]
mod harness;

use harness::{Berth, LineReader, wait_child};
use std::time::{Duration, Instant};

fn pid_of(b: &Berth, id: &str) -> i32 {
    b.state(id)["pid"].as_i64().expect("pid") as i32
}

#[test]
fn top_lists_the_processes_started_inside_with_host_pids() {
    let b = Berth::new();
    let id = b.run_detached(&[
        "--name",
        "tp",
        "busybox",
        "sh",
        "-c",
        "sleep 301 & sleep 302 & wait",
    ]);
    let first = pid_of(&b, &id);
    let mut out = String::new();
    b.wait_until("both sleeps listed", Duration::from_secs(5), || {
        out = b.ok(&["top", "tp"]);
        // pid 1's own command line names both: wait for the sleeps' own rows.
        out.lines().any(|l| l.ends_with("   sleep 301"))
            && out.lines().any(|l| l.ends_with("   sleep 302"))
    });
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(
        header,
        ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 3, "{out}");
    for r in &rows {
        let pid: i32 = r[1].parse().expect("pid");
        assert!(
            std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "host pid {pid}"
        );
    }
    let sleeps: Vec<_> = rows.iter().filter(|r| r[7] == "sleep").collect();
    assert!(
        sleeps.iter().all(|r| r[2] == first.to_string()),
        "children of pid 1: {out}"
    );
    let aux = b.ok(&["top", "tp", "aux"]);
    assert!(aux.starts_with("USER"), "{aux}");
    let bad = b.run(&["top", "tp", "-o", "pid"]);
    assert_eq!(bad.code, 125, "{bad:?}");
    b.ok(&["rm", "-f", "tp"]);
    let gone = b.run(&["top", "tp"]);
    assert_ne!(gone.code, 0);
}

fn stats_row(b: &Berth, name: &str) -> (f64, u64) {
    let out = b.ok(&[
        "stats",
        "--no-stream",
        "--format",
        "{{.CPUPerc}}|{{.MemUsage}}",
        name,
    ]);
    let line = out.lines().next().expect("row").to_string();
    let (cpu, mem) = line.split_once('|').expect("two fields");
    let cpu: f64 = cpu.trim_end_matches('%').parse().expect("cpu %");
    let used = mem.split(" / ").next().expect("usage");
    let (num, unit) = used.split_at(used.find(|c: char| c.is_ascii_alphabetic()).expect("unit"));
    let n: f64 = num.parse().expect("number");
    let mult = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        u => panic!("unit {u}"),
    };
    (cpu, (n * mult) as u64)
}

#[test]
fn stats_move_the_right_way() {
    let b = Berth::new();
    b.run_detached(&["--name", "idle", "busybox", "sleep", "300"]);
    b.run_detached(&[
        "--name",
        "burn",
        "busybox",
        "sh",
        "-c",
        "while true; do :; done",
    ]);
    let (idle_cpu, idle_mem) = stats_row(&b, "idle");
    let (burn_cpu, _) = stats_row(&b, "burn");
    assert!(idle_cpu < 10.0, "idle uses {idle_cpu}%");
    assert!(burn_cpu > 30.0, "a busy loop uses {burn_cpu}%");
    assert!(idle_mem < 8 << 20, "idle memory {idle_mem}");
    // The busy loop has shown its CPU: it goes, so on a small or slow host (two emulated
    // CPUs) it does not starve the memory hog below.
    b.ok(&["rm", "-f", "burn"]);

    // 40 MB held in a shell variable (in a tmpfs file to be exact: counted as shmem).
    b.run_detached(&[
        "--name",
        "hog",
        "--tmpfs",
        "/m:size=100m",
        "busybox",
        "sh",
        "-c",
        "head -c 40000000 /dev/zero > /m/f; sleep 300",
    ]);
    let mut hog = 0;
    b.wait_until("memory grows", Duration::from_secs(10), || {
        hog = stats_row(&b, "hog").1;
        hog > 30_000_000
    });
    assert!(hog < 80_000_000, "hog uses {hog}");

    let table = b.ok(&["stats", "--no-stream"]);
    let header = table.lines().next().expect("header");
    for col in [
        "CONTAINER ID",
        "NAME",
        "CPU %",
        "MEM USAGE / LIMIT",
        "MEM %",
        "NET I/O",
        "BLOCK I/O",
        "PIDS",
    ] {
        assert!(header.contains(col), "{header}");
    }
    // The header, idle and hog (burn was removed).
    assert_eq!(table.lines().count(), 3, "{table}");
}

#[test]
fn events_from_one_process_reach_another() {
    let b = Berth::new();
    let mut follower = b.spawn(&["events", "--filter", "type=container"]);
    let reader = LineReader::new(&mut follower);
    // Give the follower a moment to open the journal at its end.
    std::thread::sleep(Duration::from_millis(300));
    let id = b.run_detached(&["--name", "ev", "busybox", "true"]);
    b.wait_status(&id, "exited", Duration::from_secs(5));
    b.ok(&["rm", "ev"]);
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !seen.iter().any(|l: &String| l.contains(" destroy ")) {
        if let Some(l) = reader.next_line(Duration::from_millis(200)) {
            seen.push(l);
        }
    }
    let _ = follower.kill();
    wait_child(&mut follower, Duration::from_secs(5), "events follower");
    let actions: Vec<&str> = seen
        .iter()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(actions, ["create", "start", "die", "destroy"], "{seen:#?}");
    assert!(
        seen.iter()
            .all(|l| l.contains(&id) && l.contains("name=ev")),
        "{seen:#?}"
    );
    assert!(seen[2].contains("exitCode=0"), "{seen:#?}");

    let past = b.ok(&[
        "events",
        "--since",
        "1m",
        "--until",
        "0s",
        "--filter",
        "event=start",
    ]);
    assert_eq!(past.lines().count(), 1, "{past}");
}
