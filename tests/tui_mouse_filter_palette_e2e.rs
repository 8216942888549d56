//! The dashboard in a real terminal (tmux) against real containers: mouse clicks and the
//! wheel (SGR mouse reports, as a terminal sends them), the `/` list filter, and the `:`
//! command palette reaching each view (all its words) and running berth command lines (`run -d`, `rm -f`)
//! whose effect shows in the list and in the command log.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/tmux.rs"]
mod tmux;

use harness::Berth;
use std::path::PathBuf;
use std::time::Duration;
use tmux::Tmux;

const SECS: Duration = Duration::from_secs(15);

/// tmux's view of the mouse modes the program in the pane asked for: SGR encoding,
/// presses (1000), presses and drags (1002), every motion (1003).
const MOUSE_MODES: &str =
    "#{mouse_sgr_flag} #{mouse_standard_flag} #{mouse_button_flag} #{mouse_all_flag}";

/// The dashboard on the test's root in a shell line (its state and config folders in the
/// test's scratch directory `term`), then the exit status.
fn dashboard_line(b: &Berth) -> String {
    let dir = b.scratch("term");
    format!(
        "env XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} {bin} --root {root} --config {cfg}; \
         echo \"dashboard exited: $?\"; read x",
        d = dir.display(),
        bin = env!("CARGO_BIN_EXE_berth"),
        root = b.root().display(),
        cfg = b.config_path().display(),
    )
}

/// Column and row (0-based) of the first `text` on the screen.
fn spot(screen: &str, text: &str) -> (usize, usize) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(i) = line.find(text) {
            return (line[..i].chars().count(), y);
        }
    }
    panic!("'{text}' is not on the screen:\n{screen}");
}

/// The screen line holding `text`.
fn line_of<'a>(screen: &'a str, text: &str) -> &'a str {
    screen.lines().find(|l| l.contains(text)).unwrap_or("")
}

/// Sends an SGR mouse report (`ESC [ < button ; x ; y M`, 1-based) as raw bytes.
fn mouse(t: &Tmux, button: u8, (x, y): (usize, usize)) {
    let report = format!("\x1b[<{button};{};{}M", x + 1, y + 1);
    let hex: Vec<String> = report.bytes().map(|b| format!("{b:02x}")).collect();
    let mut args = vec!["-H"];
    args.extend(hex.iter().map(String::as_str));
    t.keys(&args);
    if button < 64 {
        // The release of a click.
        let release = format!("\x1b[<{button};{};{}m", x + 1, y + 1);
        let hex: Vec<String> = release.bytes().map(|b| format!("{b:02x}")).collect();
        let mut args = vec!["-H"];
        args.extend(hex.iter().map(String::as_str));
        t.keys(&args);
    }
}

fn palette(t: &Tmux, line: &str) {
    t.keys(&[":"]);
    t.type_text(line);
    t.keys(&["Enter"]);
}

/// Esc, then waits until the popup or palette is gone (a key right after an escape would
/// read as alt and that key).
fn close(t: &Tmux) {
    t.keys(&["Escape"]);
    t.wait_for("the popup or palette to close", SECS, |s| {
        s.lines().last().is_some_and(|l| l.contains("? help")) && !s.contains("esc closes")
    });
}

fn sleeper(b: &Berth, name: &str) {
    b.run_detached(&["--name", name, "busybox", "sleep", "300"]);
}

#[test]
fn mouse_clicks_select_and_focus_and_the_wheel_moves() {
    let b = Berth::new();
    for name in ["alpha", "beta", "gamma"] {
        sleeper(&b, name);
    }
    let t = Tmux::start(&b.scratch("tmux"), 120, 40, &dashboard_line(&b));
    let screen = t.wait_for("three containers", SECS, |s| s.contains("Containers (3)"));
    // The terminal was asked for presses and the wheel in SGR form, never for motion.
    assert_eq!(t.format(MOUSE_MODES), "1 1 0 0");
    // Newest first: gamma is selected; a click on alpha's row selects it.
    mouse(&t, 0, spot(&screen, "alpha"));
    let screen = t.wait_for("alpha selected", SECS, |s| {
        line_of(s, "alpha").contains('▶') && s.contains("Logs: alpha")
    });
    // A click on the log pane's title focuses it (its border turns thick).
    mouse(&t, 0, spot(&screen, "Logs: alpha"));
    t.wait_for("the log focused", SECS, |s| {
        line_of(s, "Logs: alpha").trim_start().starts_with('┏')
    });
    // The wheel over the list moves the selection (and focuses the list).
    let screen = t.screen();
    mouse(&t, 65, spot(&screen, "beta"));
    mouse(&t, 64, spot(&screen, "beta"));
    mouse(&t, 64, spot(&screen, "beta"));
    let screen = t.wait_for("the wheel up twice from alpha", SECS, |s| {
        line_of(s, "gamma").contains('▶')
    });
    assert!(
        line_of(&screen, "Containers (3)")
            .trim_start()
            .starts_with('┏'),
        "{screen}"
    );
    t.keys(&["q"]);
    t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
    // The terminal is given its mouse back.
    assert_eq!(t.format(MOUSE_MODES), "0 0 0 0");
}

#[test]
fn mouse_false_leaves_the_mouse_to_the_terminal() {
    let b = Berth::new();
    b.set_config(&format!(
        "{}dashboard:\n  mouse: false\n",
        harness::OFF_THE_HOST_NETWORK
    ));
    for name in ["alpha", "beta"] {
        sleeper(&b, name);
    }
    let t = Tmux::start(&b.scratch("tmux"), 120, 40, &dashboard_line(&b));
    let screen = t.wait_for("two containers", SECS, |s| s.contains("Containers (2)"));
    assert_eq!(t.format(MOUSE_MODES), "0 0 0 0");
    // A report sent anyway is not acted on: beta (the newest) stays selected.
    mouse(&t, 0, spot(&screen, "alpha"));
    t.keys(&["q"]);
    let screen = t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
    assert!(!screen.contains("Logs: alpha"), "{screen}");
}

#[test]
fn slash_filters_the_container_list_as_typed() {
    let b = Berth::new();
    for name in ["web-1", "db", "web-2"] {
        sleeper(&b, name);
    }
    let t = Tmux::start(&b.scratch("tmux"), 120, 40, &dashboard_line(&b));
    t.wait_for("three containers", SECS, |s| s.contains("Containers (3)"));
    t.keys(&["/"]);
    t.type_text("web");
    let screen = t.wait_for("the filtered list", SECS, |s| {
        s.contains("Containers (2/3)") && s.contains("/web▏")
    });
    assert!(
        screen.contains("web-1")
            && screen.contains("web-2")
            && !line_of(&screen, " db ").contains("busybox"),
        "{screen}"
    );
    // Enter keeps the filter, j moves among the rows shown, esc clears.
    t.keys(&["Enter", "G"]);
    let screen = t.wait_for("the last row shown selected", SECS, |s| {
        line_of(s, "web-1").contains('▶') && s.contains("· /web ")
    });
    assert!(screen.contains("Logs: web-1"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for("the whole list", SECS, |s| {
        s.contains("Containers (3)") && line_of(s, "web-1").contains('▶')
    });
    t.keys(&["q"]);
    t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
}

#[test]
fn the_palette_reaches_each_view_and_runs_berth_commands() {
    let b = Berth::new();
    sleeper(&b, "web");
    let t = Tmux::start(&b.scratch("tmux"), 140, 45, &dashboard_line(&b));
    t.wait_for("the container", SECS, |s| s.contains("Containers (1)"));
    palette(&t, "images");
    t.wait_for("the Images pane", SECS, |s| {
        s.contains("Images (1)") && s.contains("busybox")
    });
    palette(&t, "networks");
    t.wait_for("the Networks pane", SECS, |s| s.contains("Networks ("));
    palette(&t, "containers");
    t.wait_for("the container list", SECS, |s| s.contains("Containers (1)"));
    palette(&t, "top web");
    t.wait_for("the Top pane", SECS, |s| {
        s.contains("Top: web (") && s.contains("sleep 300")
    });
    palette(&t, "stats web");
    t.wait_for("the Stats pane", SECS, |s| s.contains("Stats: web"));
    palette(&t, "logs web");
    t.wait_for("the Logs pane", SECS, |s| s.contains("Logs: web"));
    palette(&t, "diff web");
    t.wait_for("the Changes pane", SECS, |s| s.contains("Changes: web"));
    palette(&t, "timeline web");
    t.wait_for("the Timeline pane", SECS, |s| s.contains("Timeline: web"));
    palette(&t, "volumes");
    t.wait_for("the Volumes pane", SECS, |s| s.contains("Volumes ("));
    palette(&t, "topology");
    t.wait_for("the Topology pane", SECS, |s| s.contains("Topology: "));
    palette(&t, "inspect web");
    t.wait_for("the Inspect view", SECS, |s| {
        s.contains("Inspect container 'web'")
    });
    close(&t);
    palette(&t, "containers");
    t.wait_for("the container list", SECS, |s| s.contains("Containers (1)"));
    palette(&t, "help");
    t.wait_for("the help", SECS, |s| s.contains("Keys (remap"));
    close(&t);
    palette(&t, "events");
    t.wait_for("the answer", SECS, |s| {
        s.contains("':events' is not available")
    });
    palette(&t, "shell web");
    t.wait_for("a shell", SECS, |s| s.contains("/ #"));
    t.keys(&["C-]"]);
    // Tab completes a word.
    t.keys(&[":"]);
    t.type_text("netw");
    t.keys(&["Tab"]);
    t.wait_for("the completions", SECS, |s| {
        s.contains(":network▏") && s.contains("networks  network")
    });
    close(&t);
    // A berth command line runs through the engine; the list and the command log show it.
    palette(&t, "run -d --name x1 busybox sleep 100");
    let screen = t.wait_for("the new container", SECS, |s| {
        s.contains("Containers (2)") && s.contains("berth run -d --name x1 busybox sleep 100")
    });
    assert!(line_of(&screen, " x1 ").contains("busybox"), "{screen}");
    b.wait_until("x1 to run", SECS, || b.ok(&["ps"]).contains(" x1"));
    // More output than a line: a popup.
    palette(&t, "ps -a");
    t.wait_for("the ps popup", SECS, |s| {
        s.contains("berth ps -a · esc closes") && s.contains("CONTAINER ID")
    });
    close(&t);
    // A typo is answered by berth's parser; nothing runs.
    palette(&t, "rn -d busybox");
    t.wait_for("the parser's answer", SECS, |s| {
        s.contains("unrecognized subcommand 'rn'")
    });
    palette(&t, "rm -f x1");
    t.wait_for("x1 gone", SECS, |s| {
        s.contains("Containers (1)") && s.contains("berth rm -f x1")
    });
    assert!(!b.ok(&["ps", "-a"]).contains(" x1"));
    // Up brings back the last line; the history is saved beside the command log.
    t.keys(&[":", "Up"]);
    t.wait_for("the last line back", SECS, |s| s.contains(":rm -f x1▏"));
    close(&t);
    let history: PathBuf = b.scratch("term").join("berth").join("palette-history");
    let text = std::fs::read_to_string(&history).expect("the palette's history");
    assert!(
        text.contains("run -d --name x1 busybox sleep 100\n") && text.ends_with("rm -f x1\n"),
        "{text}"
    );
    palette(&t, "quit");
    t.wait_for("the dashboard to quit", SECS, |s| {
        s.contains("dashboard exited: 0")
    });
}
