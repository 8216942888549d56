//! End-to-end in a real 80x24 terminal (tmux), the size most terminals open at: the main
//! screen shows the containers `worker` and `web-frontend-1` with their whole names and
//! `Up ...` statuses, the Images pane shows the image's repository and tag `latest` whole,
//! and `z` zooms the focused pane to the whole screen (its border spans all 80 columns, the
//! other panes and the command log are gone) and `z` again restores the layout. Runs as
//! root; the containers run with the harness's config (`network.default: none`).

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/tmux.rs"]
mod tmux;

use container_harness::Berth;
use std::time::Duration;
use tmux::Tmux;

/// The row of the screen that contains `text`.
fn row_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no row with '{text}':\n{screen}"))
}

/// Whether `row` shows a whole `Up ...` status (`Up 3 seconds`, `Up Less than a second`,
/// `Up About a minute`), not one cut to `Up 3 se`.
fn whole_up_status(row: &str) -> bool {
    let Some(i) = row.find("Up ") else {
        return false;
    };
    // The status runs to the next column gap (two spaces) or the border.
    let rest = &row[i..];
    let end = rest
        .find("  ")
        .or_else(|| rest.find('│'))
        .or_else(|| rest.find('┃'))
        .unwrap_or(rest.len());
    let status = rest[..end].trim_end();
    ["second", "seconds", "minute", "minutes"]
        .iter()
        .any(|unit| status.ends_with(unit))
}

/// Prints the screen when `BERTH_SHOW_SCREEN` is set (to look at it while working).
fn show(screen: &str) {
    if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
        eprintln!("{screen}");
    }
}

/// The screen's rows as character vectors (box-drawing characters are one column each).
fn cells(screen: &str) -> Vec<Vec<char>> {
    screen.lines().map(|l| l.chars().collect()).collect()
}

#[test]
fn main_screen_images_and_zoom_at_80x24() {
    // Declared first, dropped last: the dashboard is gone before its containers are removed.
    let b = Berth::new();
    for name in ["worker", "web-frontend-1"] {
        b.run_detached(&["--name", name, "busybox", "sleep", "600"]);
    }
    let d = b.scratch("term");
    let dashboard = b.dashboard_command(&d);
    let t = Tmux::start(&d, 80, 24, &dashboard);
    let s = t.wait_for(
        "both containers with whole statuses",
        Duration::from_secs(10),
        |s| {
            s.lines()
                .any(|l| l.contains("worker") && whole_up_status(l))
                && s.lines()
                    .any(|l| l.contains("web-frontend-1") && whole_up_status(l))
        },
    );
    show(&s);
    assert!(s.contains("Command log"), "the folded command log:\n{s}");
    assert!(s.contains("Logs: "), "the detail pane under the list:\n{s}");

    // The focused container list fills the screen: its thick border spans all 80
    // columns on the first row, and the Logs pane and the command log are gone.
    t.keys(&["z"]);
    let s = t.wait_for("the zoomed list", Duration::from_secs(5), |s| {
        !s.contains("Logs: ") && !s.contains("Command log")
    });
    show(&s);
    let rows = cells(&s);
    assert_eq!(rows[0].len(), 80, "{s}");
    assert_eq!((rows[0][0], rows[0][79]), ('┏', '┓'), "{s}");
    let bottom = rows
        .iter()
        .rposition(|r| r.first() == Some(&'┗'))
        .unwrap_or_else(|| panic!("no bottom border:\n{s}"));
    assert_eq!(bottom, 22, "the list reaches the status bar:\n{s}");
    assert_eq!(rows[bottom].get(79), Some(&'┛'), "{s}");
    assert!(s.contains("worker") && s.contains("web-frontend-1"), "{s}");
    assert!(s.contains("z restores"), "the border says how back:\n{s}");

    t.keys(&["z"]);
    t.wait_for("the layout back", Duration::from_secs(5), |s| {
        s.contains("Logs: ") && s.contains("Command log")
    });

    t.type_text("i");
    let s = t.wait_for("the Images pane", Duration::from_secs(10), |s| {
        s.lines()
            .any(|l| l.contains("busybox") && l.contains("latest"))
    });
    let row = row_with(&s, "busybox");
    let words: Vec<&str> = row
        .split(|c: char| c.is_whitespace() || "│┃".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    assert!(
        words.contains(&"busybox") && words.contains(&"latest"),
        "repository and tag whole in: {row}\n{s}"
    );
    t.keys(&["q"]);
}
