//! End-to-end in a real 80x24 terminal (tmux): the dashboard's Changes pane (`D`) shows a
//! running container's changed files and marks one written while it is open as new; the
//! Volumes pane (`V`) lists a volume with the container using it; the Inspect view (`I`)
//! opens the volume's document and `esc` closes it. Runs as root; the container runs with
//! the harness's config (`network.default: none`).

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/tmux.rs"]
mod tmux;

use container_harness::Berth;
use std::time::Duration;
use tmux::Tmux;

#[test]
fn changes_volumes_and_inspect_views_at_80x24() {
    // Declared first, dropped last: the dashboard is gone before its containers are removed.
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "writer",
        "-v",
        "data:/data",
        "busybox",
        "sleep",
        "600",
    ]);
    b.ok(&["exec", "writer", "sh", "-c", "echo early > /early.txt"]);
    let d = b.scratch("term");
    let dashboard = b.dashboard_command(&d);
    let t = Tmux::start(&d, 80, 24, &dashboard);
    t.wait_for("the container list", Duration::from_secs(10), |s| {
        s.contains("writer")
    });
    t.type_text("D");
    t.wait_for("the early file", Duration::from_secs(10), |s| {
        s.contains("A /early.txt") && s.contains("Changes: writer")
    });
    // Written while the pane shows: it appears within a few reads, marked new, with its size.
    b.ok(&[
        "exec",
        "writer",
        "sh",
        "-c",
        "head -c 5000 /dev/zero > /late.bin",
    ]);
    let s = t.wait_for("the late file", Duration::from_secs(10), |s| {
        s.contains("A /late.bin new")
    });
    assert!(s.contains("5kB"), "{s}");
    assert!(!s.contains("A /early.txt new"), "{s}");

    t.keys(&["V"]);
    let s = t.wait_for("the Volumes pane", Duration::from_secs(10), |s| {
        s.contains("Volumes (1)") && s.contains("writer")
    });
    assert!(s.contains("data"), "{s}");
    t.keys(&["I"]);
    t.wait_for("the volume's document", Duration::from_secs(10), |s| {
        s.contains("Inspect volume 'data'") && s.contains("Mountpoint:")
    });
    t.keys(&["Escape"]);
    t.wait_for("the Inspect view to close", Duration::from_secs(5), |s| {
        !s.contains("Inspect volume") && s.contains("Volumes (1)")
    });
    t.keys(&["q"]);
}
