//! Render tests of the dashboard on ratatui's TestBackend: what a user would see, text
//! and colours, for the states the panes can be in.

use berth::engine::container::{Container, ContainerConfig, ContainerState, Status};
use berth::engine::observe::logs::{LogLine, Stream};
use berth::tui::action::{Action, EngineOp};
use berth::tui::app::{App, AppSettings, Pane, Popup};
use berth::tui::keymap::{BINDINGS, Keymap, UserAction};
use berth::tui::theme::{Role, Theme};
use berth::tui::ui;
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

fn container(n: u8, name: &str, status: Status) -> Container {
    Container {
        config: ContainerConfig {
            id: format!("{n:x}{n:x}").repeat(32),
            name: name.into(),
            created: now() - Duration::hours(n.into()),
            image: format!("img{n}:latest"),
            image_id: String::new(),
            layers: vec![],
            entrypoint: vec![],
            cmd: vec!["sh".into()],
            env: vec![],
            working_dir: String::new(),
            user: String::new(),
            hostname: String::new(),
            labels: BTreeMap::new(),
            tty: false,
            open_stdin: false,
            mounts: vec![],
            read_only: false,
            resources: Default::default(),
            restart: Default::default(),
            auto_remove: false,
            network_mode: "none".into(),
            net: Default::default(),
            stop_signal: "SIGTERM".into(),
            stop_timeout: None,
        },
        state: ContainerState {
            status,
            ..Default::default()
        },
    }
}

/// running `web` (up 5 minutes), exited `job` (137, 2 hours ago), created `fresh`, paused `frozen`.
fn sample() -> Vec<Container> {
    let mut web = container(1, "web", Status::Running);
    web.state.started_at = Some(now() - Duration::minutes(5));
    let mut job = container(2, "job", Status::Exited);
    job.state.exit_code = 137;
    job.state.started_at = Some(now() - Duration::hours(3));
    job.state.finished_at = Some(now() - Duration::hours(2));
    let fresh = container(3, "fresh", Status::Created);
    let mut frozen = container(4, "frozen", Status::Paused);
    frozen.state.started_at = Some(now() - Duration::seconds(30));
    vec![web, job, fresh, frozen]
}

fn app_with(keymap: Keymap) -> App {
    let mut app = App::new(keymap, AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(sample())));
    app
}

fn draw(app: &App, theme: &Theme, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::render(app, theme, f.area(), f.buffer_mut()))
        .expect("draw");
    term.backend().buffer().clone()
}

fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Column and row of the first occurrence of `text` (every cell here is one char wide).
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for (y, row) in rows(buf).iter().enumerate() {
        if let Some(i) = row.find(text) {
            let x = row[..i].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", rows(buf).join("\n"));
}

fn fg_at(buf: &Buffer, text: &str) -> Color {
    let (x, y) = find(buf, text);
    buf[(x, y)].fg
}

#[test]
fn containers_pane_shows_names_status_and_exit_code() {
    let theme = Theme::preset("default").expect("theme");
    let app = app_with(Keymap::default());
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    for text in [
        "Containers (4)",
        "NAME",
        "IMAGE",
        "STATUS",
        "web",
        "img1:latest",
        "Up 5 minutes",
        "job",
        "Exited (137) 2 hours ago",
        "fresh",
        "Created",
        "frozen",
        "Up 30 seconds (Paused)",
        "111111111111",
    ] {
        assert!(screen.contains(text), "missing '{text}':\n{screen}");
    }
}

#[test]
fn status_cells_use_the_status_roles() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    // Select the last row so the rows checked below carry their own colours.
    app.selected = 3;
    let buf = draw(&app, &theme, 120, 30);
    let role = |r: Role| theme.style(r).fg.expect("role has a colour");
    assert_eq!(fg_at(&buf, "Exited (137)"), role(Role::StatusExited));
    assert_eq!(fg_at(&buf, "Exited (137)"), Color::Red);
    assert_eq!(fg_at(&buf, "Up 5 minutes"), role(Role::StatusRunning));
    assert_eq!(fg_at(&buf, "Up 5 minutes"), Color::Green);
    assert_eq!(fg_at(&buf, "Created"), role(Role::StatusCreated));
    assert_eq!(fg_at(&buf, "Created"), Color::Blue);
    // The selected row is drawn in the selection role.
    let (x, y) = find(&buf, "frozen");
    assert_eq!(buf[(x, y)].bg, theme.style(Role::Selection).bg.expect("bg"));

    // Another theme changes the colours, not the widgets.
    let light = Theme::preset("light").expect("light");
    let buf = draw(&app, &light, 120, 30);
    assert_eq!(fg_at(&buf, "Exited (137)"), Color::Rgb(0xbb, 0, 0));
    assert_eq!(fg_at(&buf, "Up 5 minutes"), Color::Rgb(0, 0x77, 0));
}

#[test]
fn a_container_being_stopped_says_so_until_the_engine_returns() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.selected = 3;
    app.update(Action::User(UserAction::GoTop));
    app.update(Action::User(UserAction::StopContainer));
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    let (_, y) = find(&buf, "web");
    assert!(rows(&buf)[y as usize].contains("Stopping…"), "{screen}");
    assert!(!screen.contains("Up 5 minutes"), "{screen}");
    assert!(screen.contains("stopping 'web'…"), "status bar: {screen}");
    assert!(screen.contains("berth stop web"), "command log: {screen}");
    app.selected = 3;
    let buf = draw(&app, &theme, 120, 30);
    assert_eq!(
        fg_at(&buf, "Stopping…"),
        theme.style(Role::StatusRestarting).fg.expect("fg")
    );
    // The stop returns: the row shows the container's status again.
    app.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    let screen = rows(&draw(&app, &theme, 120, 30)).join("\n");
    assert!(!screen.contains("Stopping…"), "{screen}");
    assert!(screen.contains("stopped 'web'"), "{screen}");
}

#[test]
fn logs_pane_keeps_ansi_colours_and_marks_stderr() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    let generation = app.logs.generation;
    app.update(Action::LogLines {
        generation,
        lines: vec![
            LogLine {
                stream: Stream::Stdout,
                time: "2026-03-01T12:00:00Z".into(),
                text: "plain then \x1b[31mREDWORD\x1b[0m done\n".into(),
            },
            LogLine {
                stream: Stream::Stderr,
                time: "2026-03-01T12:00:01Z".into(),
                text: "oops on stderr\n".into(),
            },
        ],
    });
    let buf = draw(&app, &theme, 120, 30);
    assert!(rows(&buf).join("\n").contains("Logs: web (following)"));
    // ANSI red is the terminal's red, whatever the theme.
    assert_eq!(fg_at(&buf, "REDWORD"), Color::Red);
    let light = Theme::preset("light").expect("light");
    assert_eq!(fg_at(&draw(&app, &light, 120, 30), "REDWORD"), Color::Red);
    // The escape codes themselves are not shown.
    assert!(!rows(&buf).join("\n").contains("[31m"));
    // stderr: a marker in the gutter and the stderr colour.
    let (x, y) = find(&buf, "oops on stderr");
    let stderr = theme.style(Role::LogStderr).fg.expect("fg");
    assert_eq!(buf[(x, y)].fg, stderr);
    assert_eq!(buf[(x - 2, y)].symbol(), "▌");
    assert_eq!(buf[(x - 2, y)].fg, stderr);
    let (x, y) = find(&buf, "plain then");
    assert_eq!(buf[(x - 2, y)].symbol(), " ");
    assert_ne!(buf[(x, y)].fg, stderr);
}

#[test]
fn help_popup_lists_every_binding() {
    let theme = Theme::preset("default").expect("theme");
    let mut user = BTreeMap::new();
    user.insert(
        "stop_container".to_string(),
        vec!["x".to_string(), "f9".to_string()],
    );
    let mut app = app_with(Keymap::from_config(&user).expect("keymap"));
    app.update(Action::User(UserAction::Help));
    assert_eq!(app.popup, Some(Popup::Help));
    let buf = draw(&app, &theme, 120, 40);
    let screen = rows(&buf).join("\n");
    for b in BINDINGS {
        let line = rows(&buf)
            .into_iter()
            .find(|r| r.contains(&format!("({})", b.name)))
            .unwrap_or_else(|| panic!("'{}' not in help:\n{screen}", b.name));
        assert!(line.contains(b.desc), "{line}");
        let keys = app.keymap.keys_text(b.action);
        assert!(line.contains(&keys), "'{keys}' not in: {line}");
    }
    // The remapped keys are the ones shown.
    assert!(screen.contains("x, f9"), "{screen}");
    assert_eq!(
        fg_at(&buf, "x, f9"),
        theme.style(Role::HelpKey).fg.expect("fg")
    );
}

#[test]
fn confirm_dialog_names_the_container() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::MoveDown));
    app.update(Action::User(UserAction::RemoveContainer));
    let buf = draw(&app, &theme, 100, 30);
    let screen = rows(&buf).join("\n");
    assert!(screen.contains("Remove container 'job'?"), "{screen}");
    assert!(screen.contains("y, enter remove"), "{screen}");
    assert!(screen.contains("n, esc keep"), "{screen}");
}

#[test]
fn command_log_and_status_bar_show_actions_and_errors() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.focus = Pane::Containers;
    app.update(Action::User(UserAction::StopContainer));
    app.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Err("stop of 'web' is not implemented yet".into()),
    });
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
        eprintln!("{screen}");
    }
    assert!(screen.contains("Command log (y: copy)"), "{screen}");
    assert!(screen.contains("berth stop web"), "{screen}");
    assert!(
        screen.contains("#   failed: stop of 'web' is not implemented yet"),
        "{screen}"
    );
    let (_, y) = find(&buf, "berth stop web: stop of 'web'");
    assert_eq!(y, 29, "the error is on the status bar");
    assert_eq!(
        fg_at(&buf, "berth stop web: stop of"),
        theme.style(Role::Error).fg.expect("fg")
    );
    assert!(rows(&buf)[29].contains("? help  q, ctrl-c quit"));
}

#[test]
fn empty_state_tells_how_to_start() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    let buf = draw(&app, &theme, 100, 20);
    assert!(rows(&buf).join("\n").contains("loading…"));
    app.update(Action::ContainersListed(Ok(vec![])));
    let buf = draw(&app, &theme, 100, 20);
    let screen = rows(&buf).join("\n");
    assert!(
        screen.contains("no containers: create one with 'berth run"),
        "{screen}"
    );
    assert!(screen.contains("no container selected"), "{screen}");
    assert!(
        screen.contains("┌ Logs ─"),
        "no name in the title: {screen}"
    );
}
