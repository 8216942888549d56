//! End-to-end in a real 80x24 terminal (tmux): `:timeline NAME` opens the Timeline pane
//! of a container that prints two lines and exits 3, restarted once by its policy
//! (`--restart on-failure:1`); the pane shows, newest at the bottom and in time order,
//! its start, both runs' lines, each death with exit code 3 and the restart between them,
//! followed live while the dashboard is open. Runs as root; the container runs with the
//! harness's config (`network.default: none`).

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/tmux.rs"]
mod tmux;

use container_harness::Berth;
use std::time::Duration;
use tmux::Tmux;

/// The timeline's rows on `screen`, as words (`start`, `one`, `die 3`, ...), each with its
/// time (`HH:MM:SS.mmm`, which sorts as it reads).
fn timeline_rows(screen: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in screen.lines() {
        let Some(at) = line.find(|c: char| c.is_ascii_digit()) else {
            continue;
        };
        let rest = &line[at..];
        let time = rest.get(..12).unwrap_or_default();
        let looks_like_time = time.len() == 12 && &time[2..3] == ":" && &time[8..9] == ".";
        if !looks_like_time {
            continue;
        }
        let body = &rest[12..];
        let word = if body.contains("▶ start") {
            "start"
        } else if body.contains("+ create") {
            "create"
        } else if body.contains("↻ restart") {
            "restart"
        } else if body.contains("■ die  exit code 3") {
            "die 3"
        } else if body.contains("■ die") {
            "die (other code)"
        } else if body.contains("│ one") {
            "one"
        } else if body.contains("│ two") {
            "two"
        } else {
            continue;
        };
        rows.push((word.to_string(), time.to_string()));
    }
    rows
}

#[test]
fn timeline_shows_start_lines_and_exit_code_of_a_restarted_container_in_time_order() {
    // Declared first, dropped last: the dashboard is gone before its containers are removed.
    let b = Berth::new();
    let d = b.scratch("term");
    let dashboard = b.dashboard_command(&d);
    b.ok(&[
        "create",
        "--name",
        "twice",
        "--restart",
        "on-failure:1",
        "busybox",
        "sh",
        "-c",
        "echo one; sleep 1; echo two; exit 3",
    ]);
    let t = Tmux::start(&d, 80, 24, &dashboard);
    t.wait_for("the container list", Duration::from_secs(10), |s| {
        s.contains("twice")
    });
    t.type_text(":timeline twice");
    t.keys(&["Enter"]);
    t.wait_for("the empty timeline", Duration::from_secs(10), |s| {
        s.contains("Timeline: twice (1 event, 0 log lines)")
    });
    // Started while the pane shows: its two runs arrive live.
    b.ok(&["start", "twice"]);
    let want = [
        "create", "start", "one", "two", "die 3", "restart", "one", "two", "die 3",
    ];
    let s = t.wait_for("both runs", Duration::from_secs(30), |s| {
        timeline_rows(s).iter().map(|r| r.0.as_str()).eq(want)
    });
    let rows = timeline_rows(&s);
    assert!(
        rows.windows(2).all(|w| w[0].1 <= w[1].1),
        "times out of order: {rows:?}\n{s}"
    );
    assert!(s.contains("Timeline: twice (5 events, 4 log lines)"), "{s}");
    t.keys(&["q"]);
}
