//! The Shell pane against a real container (root only): a shell exec'd through the shim,
//! its output through the session's vt100 parser, drawn by the dashboard on ratatui's
//! TestBackend. Keys go through `App::update` and its effects, as in the dashboard.

#[path = "common/container_harness.rs"]
mod harness;

use berth::engine::Engine;
use berth::tui::action::Action;
use berth::tui::app::{App, AppSettings, Pane};
use berth::tui::keymap::{Keymap, UserAction};
use berth::tui::panes::shell::task::ShellSessions;
use berth::tui::theme::Theme;
use berth::tui::ui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use harness::Berth;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const W: u16 = 100;
const H: u16 = 40;

fn draw(app: &App) -> Buffer {
    let theme = Theme::preset("default").expect("theme");
    let mut term = Terminal::new(TestBackend::new(app.shell.width, app.height)).expect("terminal");
    term.draw(|f| ui::render(app, &theme, f.area(), f.buffer_mut()))
        .expect("draw");
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The dashboard's loop in miniature: actions in, effects performed on the session.
struct Dash {
    app: App,
    engine: Engine,
    rx: mpsc::UnboundedReceiver<Action>,
    tx: mpsc::UnboundedSender<Action>,
    sessions: ShellSessions,
}

impl Dash {
    fn update(&mut self, action: Action) {
        // The runner's own shell effects; the others are not needed here.
        for effect in self.app.update(action) {
            self.sessions.perform(effect, &self.engine, &self.tx);
        }
    }

    fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.update(Action::Key(KeyEvent::new(code, mods)));
    }

    fn type_line(&mut self, line: &str) {
        for c in line.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
        self.key(KeyCode::Enter, KeyModifiers::NONE);
    }

    /// Feeds the session's actions to the app until the drawn screen satisfies `ok`.
    async fn wait_for(&mut self, what: &str, ok: impl Fn(&str, &Buffer) -> bool) -> Buffer {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let buf = draw(&self.app);
            if ok(&text(&buf), &buf) {
                return buf;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "timed out waiting for {what}; the screen was:\n{}",
                    text(&buf)
                );
            }
            if let Ok(Some(a)) = tokio::time::timeout(left, self.rx.recv()).await {
                self.update(a);
            }
        }
    }
}

/// Column and row of `needle` on the drawn screen.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    text(buf).lines().enumerate().find_map(|(y, row)| {
        row.find(needle)
            .map(|i| (row[..i].chars().count() as u16, y as u16))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_pane_runs_a_real_shell_with_colours_resize_and_full_screen_programs() {
    let b = Berth::new();
    b.run_detached(&["--name", "box", "busybox", "sleep", "300"]);
    let ctx = berth::bootstrap::open(Some(b.root()), Some(b.scratch("cfg").join("none.yaml")))
        .expect("open engine");
    let (tx, rx) = mpsc::unbounded_channel();
    let mut d = Dash {
        app: App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        ),
        engine: ctx.engine.clone(),
        rx,
        tx,
        sessions: ShellSessions::default(),
    };
    d.update(Action::Resize {
        width: W,
        height: H,
    });
    let list = ctx.engine.containers().expect("list");
    d.update(Action::ContainersListed(Ok(list)));

    // `e` opens `sh` beside the log; the command log shows the CLI equivalent.
    d.update(Action::User(UserAction::ExecShell));
    assert_eq!(d.app.focus, Pane::Shell);
    assert!(
        d.app
            .command_log
            .iter()
            .any(|l| l == "berth exec -it box sh"),
        "{:?}",
        d.app.command_log
    );
    d.wait_for("the prompt", |s, _| {
        s.contains("Shell: box") && s.contains("# ")
    })
    .await;

    // Colours: the program's red comes through the emulator to the cells.
    d.type_line(r"printf '\033[31mred-%d\033[0m plain\n' $((6*7))");
    let buf = d
        .wait_for("the red output", |s, _| s.contains("red-42 plain"))
        .await;
    let (x, y) = find(&buf, "red-42").expect("output");
    assert_eq!(buf[(x, y)].fg, Color::Indexed(1), "red as printed");
    let (px, py) = find(&buf, "plain").expect("output");
    assert_eq!(buf[(px, py)].fg, Color::Reset, "colour reset as printed");

    // The pty has the pane's size (inside its border), and follows a resize.
    let (rows, cols) = d.app.visible_shell().expect("session").size;
    d.type_line("stty size");
    d.wait_for("stty size", |s, _| s.contains(&format!("{rows} {cols}")))
        .await;
    d.update(Action::Resize {
        width: 120,
        height: 44,
    });
    let (rows2, cols2) = d.app.visible_shell().expect("session").size;
    assert!(
        cols2 > cols && rows2 > rows,
        "{rows2}x{cols2} vs {rows}x{cols}"
    );
    d.type_line("clear; stty size");
    d.wait_for("the new size", |s, _| {
        s.contains(&format!("{rows2} {cols2}"))
    })
    .await;

    // A full-screen program: busybox top draws its table; q quits it, the shell is back.
    d.type_line("top");
    let buf = d
        .wait_for("top's screen", |s, _| {
            s.contains("PID") && s.contains("sleep 300")
        })
        .await;
    eprintln!("top in the Shell pane:\n{}", text(&buf));
    d.key(KeyCode::Char('q'), KeyModifiers::NONE);
    // vi: its screen, insert mode, esc and a command line.
    d.type_line("vi /tmp/note");
    d.wait_for("vi's screen", |s, _| {
        s.contains("~") && s.contains("/tmp/note")
    })
    .await;
    for c in "ihello from vi".chars() {
        d.key(KeyCode::Char(c), KeyModifiers::NONE);
    }
    d.key(KeyCode::Esc, KeyModifiers::NONE);
    // A person pauses after esc; vi takes esc and ':' sent together for one key.
    tokio::time::sleep(Duration::from_millis(300)).await;
    d.type_line(":wq");
    d.type_line("clear; echo file: $(cat /tmp/note)");
    d.wait_for("the file vi wrote", |s, _| {
        s.contains("file: hello from vi")
    })
    .await;
    d.type_line("echo back-$((40+2))");
    d.wait_for("the shell after top", |s, _| s.contains("back-42"))
        .await;

    // ctrl-] leaves (as crossterm reports it: ctrl-5); the shell keeps running and the
    // pane stays in view.
    d.key(KeyCode::Char('5'), KeyModifiers::CONTROL);
    assert_eq!(d.app.focus, Pane::Containers);
    let buf = draw(&d.app);
    assert!(text(&buf).contains("back-42"), "{}", text(&buf));
    // Keys now drive the dashboard, not the shell: `e` goes back, with the screen kept.
    d.update(Action::User(UserAction::ExecShell));
    assert_eq!(d.app.focus, Pane::Shell);
    assert_eq!(d.sessions.len(), 1, "re-entering opens no second session");
    let buf = draw(&d.app);
    assert!(text(&buf).contains("back-42"), "{}", text(&buf));

    // `exit`: the pane says how it ended; a key closes it.
    d.type_line("exit 3");
    d.wait_for("the end", |s, _| s.contains("exited with code 3"))
        .await;
    d.key(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(d.app.focus, Pane::Containers);
    assert!(d.app.visible_shell().is_none());
    assert!(d.sessions.is_empty());
    assert!(b.ok(&["ps"]).contains("box"), "the container still runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attach_kind_shows_a_containers_own_output() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "talk",
        "busybox",
        "sh",
        "-c",
        "while true; do echo tick-$((1+1)); sleep 0.2; done",
    ]);
    let ctx = berth::bootstrap::open(Some(b.root()), Some(b.scratch("cfg").join("none.yaml")))
        .expect("open engine");
    let (tx, rx) = mpsc::unbounded_channel();
    let mut d = Dash {
        app: App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        ),
        engine: ctx.engine.clone(),
        rx,
        tx,
        sessions: ShellSessions::default(),
    };
    d.update(Action::Resize {
        width: W,
        height: H,
    });
    d.update(Action::ContainersListed(Ok(ctx
        .engine
        .containers()
        .expect("list"))));
    d.update(Action::User(UserAction::AttachContainer));
    assert!(d.app.command_log.iter().any(|l| l == "berth attach talk"));
    let buf = d
        .wait_for("two ticks", |s, _| s.matches("tick-2").count() >= 2)
        .await;
    // Line feeds without a terminal still start at the left edge of the pane.
    let (x1, _) = find(&buf, "tick-2").expect("tick");
    let s = text(&buf);
    let xs: Vec<usize> = s
        .lines()
        .filter_map(|l| l.find("tick-2").map(|i| l[..i].chars().count()))
        .collect();
    assert!(xs.iter().all(|x| *x == x1 as usize), "{xs:?}\n{s}");
}
