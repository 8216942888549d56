//! Terminals end to end, through real ptys (tmux) and real containers (root only):
//! `run -it` echoes what is typed and returns the shell's exit code, `attach` with the
//! detach keys leaves the container running, and the dashboard's Shell pane runs a
//! command in a container and is left with its key while the shell lives on.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/tmux.rs"]
mod tmux;

use harness::Berth;
use std::time::Duration;
use tmux::Tmux;

const SECS: Duration = Duration::from_secs(10);

/// A shell line running berth on the test's root, then printing its exit status and
/// waiting (so the pane stays to be read).
fn berth_line(b: &Berth, args: &str, what: &str) -> String {
    let dir = b.scratch("term");
    format!(
        "env XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} {bin} --root {root} --config {cfg} {args}; \
         echo \"{what} exited: $?\"; read x",
        d = dir.display(),
        bin = env!("CARGO_BIN_EXE_berth"),
        root = b.root().display(),
        cfg = b.config_path().display(),
    )
}

#[test]
fn run_it_echoes_input_sizes_the_pty_and_returns_the_exit_code() {
    let b = Berth::new();
    let line = berth_line(&b, "run -it --name it1 busybox sh", "run");
    let t = Tmux::start(&b.scratch("tmux"), 100, 30, &line);
    t.wait_for("the shell's prompt", SECS, |s| s.contains("/ #"));
    // What is typed is echoed by the container's terminal, and runs there.
    t.type_text("echo in-$((2*3)); tty; stty size");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the output", SECS, |s| {
        s.contains("\nin-6") && s.contains("30 100")
    });
    assert!(
        screen.contains("echo in-$((2*3))"),
        "typed text echoed:\n{screen}"
    );
    assert!(screen.contains("/dev/pts/"), "a terminal inside:\n{screen}");
    t.type_text("exit 7");
    t.keys(&["Enter"]);
    t.wait_for("the exit code", SECS, |s| s.contains("run exited: 7"));
    b.wait_until("the container to exit", SECS, || {
        b.ok(&["ps", "-a"]).contains("Exited (7)")
    });
}

#[test]
fn attach_detach_keys_leave_the_container_running() {
    let b = Berth::new();
    b.run_detached(&["-it", "--name", "att", "busybox", "sh"]);
    let line = berth_line(&b, "attach att", "attach");
    let t = Tmux::start(&b.scratch("tmux"), 100, 30, &line);
    // Attached to the container's own shell: a command typed here runs there.
    t.keys(&["Enter"]);
    t.type_text("echo att-$((3*3))");
    t.keys(&["Enter"]);
    t.wait_for("the attached shell's output", SECS, |s| {
        s.contains("\natt-9")
    });
    // ctrl-p ctrl-q detaches: berth attach ends with 0 and the shell goes on.
    t.keys(&["C-p", "C-q"]);
    let screen = t.wait_for("the detach", SECS, |s| s.contains("attach exited: 0"));
    assert!(screen.contains("read escape sequence"), "{screen}");
    let ps = b.ok(&["ps"]);
    assert!(
        ps.contains("att") && ps.contains("Up"),
        "still running:\n{ps}"
    );
    let procs = b.ok(&["exec", "att", "ps"]);
    assert!(procs.contains("sh"), "its shell lives:\n{procs}");
}

#[test]
fn dashboard_shell_pane_runs_a_command_and_is_left_running() {
    let b = Berth::new();
    b.run_detached(&["--name", "sh-e2e", "busybox", "sleep", "300"]);
    let line = berth_line(&b, "", "dashboard");
    let t = Tmux::start(&b.scratch("tmux"), 120, 40, &line);
    t.wait_for("the container's row", SECS, |s| {
        s.lines()
            .any(|l| l.contains("sh-e2e") && l.contains(" Up "))
    });
    // `e`: a shell in the container, beside its log.
    t.keys(&["e"]);
    t.wait_for("the Shell pane's prompt", SECS, |s| {
        s.contains("Shell: sh-e2e (sh")
            && s.contains("berth exec -it sh-e2e sh")
            && s.contains("/ #")
    });
    t.type_text("echo hi-$((6*7))");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the command's output", SECS, |s| s.contains("hi-42"));
    assert!(
        screen.contains("echo hi-$((6*7))"),
        "typed text shown:\n{screen}"
    );
    // ctrl-c goes to the shell, not the dashboard.
    t.type_text("sleep 100");
    t.keys(&["Enter"]);
    b.wait_until("sleep to run", SECS, || {
        b.ok(&["exec", "sh-e2e", "ps"]).contains("sleep 100")
    });
    t.keys(&["C-c"]);
    t.type_text("echo after-$((1+1))");
    t.keys(&["Enter"]);
    t.wait_for("the shell after ctrl-c", SECS, |s| s.contains("after-2"));
    // ctrl-] leaves the pane; the shell and the container keep running.
    t.keys(&["C-]"]);
    t.wait_for("the pane left", SECS, |s| s.contains("left the shell"));
    let procs = b.ok(&["exec", "sh-e2e", "ps"]);
    assert!(
        procs.lines().any(|l| l.trim_end().ends_with(" sh")),
        "the exec'd shell lives:\n{procs}"
    );
    assert!(b.ok(&["ps"]).contains("sh-e2e"), "the container runs");
    // `q` now quits the dashboard (the keys are the dashboard's again).
    t.keys(&["q"]);
    t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
}

#[test]
fn dashboard_merges_logs_searches_filters_and_saves() {
    let b = Berth::new();
    for (name, word) in [("alpha", "apple"), ("beta", "banana")] {
        let script = format!("i=0; while true; do echo {word}-$i; i=$((i+1)); sleep 0.3; done");
        b.run_detached(&["--name", name, "busybox", "sh", "-c", &script]);
    }
    let line = berth_line(&b, "", "dashboard");
    let t = Tmux::start(&b.scratch("tmux"), 140, 45, &line);
    t.wait_for("both containers", SECS, |s| s.contains("Containers (2)"));
    // M: every running container's log, interleaved, each line led by its name.
    t.keys(&["M"]);
    let screen = t.wait_for("the merged log", SECS, |s| {
        s.contains("(merged") && s.contains("alpha │ apple-") && s.contains("beta  │ banana-")
    });
    assert!(
        screen.contains("Logs: beta + alpha (merged")
            || screen.contains("Logs: alpha + beta (merged"),
        "{screen}"
    );
    // Search (in the Logs pane: on the list `/` filters the list), then keep only the
    // matching lines.
    t.keys(&["Tab", "/"]);
    t.type_text("banana");
    t.keys(&["Enter"]);
    t.wait_for("the search", SECS, |s| {
        s.contains("· /banana") && s.contains("lines match 'banana'")
    });
    t.keys(&["F"]);
    let screen = t.wait_for("the filter with two lines", SECS, |s| {
        s.contains("· filtered") && s.matches("beta  │ banana-").count() >= 2
    });
    let log: Vec<&str> = screen.lines().filter(|l| l.contains(" │ ")).collect();
    assert!(
        !log.is_empty() && log.iter().all(|l| l.contains("banana-")),
        "{screen}"
    );
    // W: the merged, filtered log to a file.
    t.keys(&["W"]);
    let screen = t.wait_for("the save", SECS, |s| s.contains("lines to '"));
    let path = screen
        .split("lines to '")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("saved path");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}\n{screen}"));
    assert!(
        text.lines().count() >= 2 && text.lines().all(|l| l.starts_with("beta  | banana-")),
        "{text}"
    );
    t.keys(&["q"]);
    t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
}
