//! Render tests of the dashboard on ratatui's TestBackend: what a user would see, text
//! and colours, for the states the panes can be in.

use crate::engine::container::{Container, ContainerConfig, ContainerState, Status};
use crate::engine::observe::logs::{LogLine, Stream};
use crate::engine::observe::stats::StatsSample;
use crate::engine::observe::top::ProcessInfo;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::{App, AppSettings, Pane, Popup};
use crate::tui::keymap::{BINDINGS, Keymap, UserAction};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui;
use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
            cmd: vec!["sh".into()],
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
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
    // Every binding fits on a screen this tall (shorter ones cut the list, wider ones
    // show it in columns).
    let buf = draw(&app, &theme, 120, 70);
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
fn help_popup_scrolls_on_a_short_screen() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::Help));
    let last = BINDINGS.last().expect("bindings");
    let shown = |app: &App| {
        let buf = draw(app, &theme, 80, 24);
        rows(&buf).join("\n")
    };
    let top = shown(&app);
    assert!(top.contains("(move_down)"), "{top}");
    assert!(
        !top.contains(&format!("({})", last.name)),
        "cut at first: {top}"
    );
    assert!(top.contains("j/k scroll"), "the title says how: {top}");
    // The keys a user would press, through the keymap: G goes to the end, g back.
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('G'),
        KeyModifiers::SHIFT,
    )));
    assert_eq!(
        app.popup,
        Some(Popup::Help),
        "scrolling keeps the help open"
    );
    let bottom = shown(&app);
    assert!(
        bottom.contains(&format!("({})", last.name)),
        "the last binding after G: {bottom}"
    );
    assert!(!bottom.contains("(move_down)"), "{bottom}");
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('g'),
        KeyModifiers::NONE,
    )));
    assert!(shown(&app).contains("(move_down)"));
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

/// Five samples of `web`, a second apart: 25% CPU, memory rising to 50 of 100 MiB,
/// 2 kB/s received.
fn sampled(app: &mut App) {
    let id = app.containers[0].id().to_string();
    let t0 = std::time::Instant::now();
    for i in 0..5u64 {
        app.update(Action::StatsSampled(vec![StatsSample {
            id: id.clone(),
            name: "web".into(),
            cpu_total_ns: i * 250_000_000,
            memory_usage: ((i + 1) * 10) << 20,
            memory_limit: 100 << 20,
            net_rx: i * 2000,
            running: true,
            at: Some(t0 + std::time::Duration::from_secs(i)),
            ..Default::default()
        }]));
    }
}

fn braille_fgs(buf: &Buffer) -> Vec<Color> {
    buf.content()
        .iter()
        .filter(|c| {
            c.symbol()
                .chars()
                .any(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
        })
        .map(|c| c.fg)
        .collect()
}

#[test]
fn stats_pane_charts_scroll_back_and_list_sparklines() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    sampled(&mut app);
    // The list's sparklines (web's row, not selected): CPU and memory in their roles.
    app.update(Action::User(UserAction::MoveDown));
    let buf = draw(&app, &theme, 120, 40);
    let (x, y) = find(&buf, "25.0%");
    assert_eq!(
        buf[(x - 2, y)].fg,
        theme.style(Role::ChartCpu).fg.expect("fg")
    );
    let (x, y) = find(&buf, "50MiB ");
    assert_eq!(buf[(x - 2, y)].symbol(), "▅", "half the limit: a half bar");
    assert_eq!(
        buf[(x - 2, y)].fg,
        theme.style(Role::ChartMemory).fg.expect("fg")
    );
    app.update(Action::User(UserAction::MoveUp));
    app.update(Action::User(UserAction::FocusStats));
    let buf = draw(&app, &theme, 120, 40);
    let screen = rows(&buf).join("\n");
    for text in [
        "Stats: web (live)",
        "CPU 25.0%",
        "Memory 50MiB / 100MiB (50.0%)",
        "Net rx 2kB/s tx 0B/s",
        "Block I/O read 0B/s write 0B/s",
        "berth stats web",
    ] {
        assert!(screen.contains(text), "'{text}' missing:\n{screen}");
    }
    let fgs = braille_fgs(&buf);
    for role in [Role::ChartCpu, Role::ChartMemory, Role::ChartRx] {
        let want = theme.style(role).fg.expect("fg");
        assert!(fgs.contains(&want), "no {role:?} line in the charts");
    }
    // k goes back in time; G is live again.
    app.update(Action::User(UserAction::MoveUp));
    app.update(Action::User(UserAction::MoveUp));
    let screen = rows(&draw(&app, &theme, 120, 40)).join("\n");
    assert!(screen.contains("Stats: web (2 seconds ago)"), "{screen}");
    assert!(screen.contains("Memory 30MiB"), "{screen}");
    app.update(Action::User(UserAction::GoBottom));
    assert_eq!(app.metrics.offset, 0);
}

fn process(pid: i32, cpu: f64, rss_kb: u64, command: &str) -> ProcessInfo {
    ProcessInfo {
        pid,
        ppid: 1,
        uid: 0,
        user: "root".into(),
        cpu_percent: cpu,
        rss_kb,
        vsz_kb: rss_kb * 2,
        started: None,
        tty: "?".into(),
        cpu_seconds: 75,
        state: 'S',
        command: command.into(),
    }
}

#[test]
fn top_pane_sorts_by_cpu_and_signals_after_a_confirmation() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    let fx = app.update(Action::User(UserAction::FocusTop));
    let generation = app.top.generation;
    assert!(fx.contains(&Effect::WatchTop {
        container: Some("web".into()),
        generation
    }));
    app.update(Action::TopListed {
        generation,
        result: Ok(vec![
            process(10, 1.0, 100, "sh"),
            process(11, 50.0, 2000, "busy-loop"),
            process(12, 5.0, 50_000, "database"),
        ]),
    });
    let buf = draw(&app, &theme, 120, 40);
    let screen = rows(&buf).join("\n");
    assert!(
        screen.contains("Top: web (3 processes, sorted by cpu)") && screen.contains("CPU%▼"),
        "{screen}"
    );
    let order: Vec<u16> = ["S  busy-loop", "S  database", "S  sh"]
        .iter()
        .map(|c| find(&buf, c).1)
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{order:?}");
    assert!(
        screen.contains("00:01:15") && screen.contains("48.83MiB"),
        "{screen}"
    );
    // The selected row (the busiest) is in the selection colours.
    let (x, y) = find(&buf, "busy-loop");
    assert_eq!(buf[(x, y)].bg, theme.style(Role::Selection).bg.expect("bg"));

    app.update(Action::User(UserAction::CycleSort));
    let screen = rows(&draw(&app, &theme, 120, 40)).join("\n");
    assert!(
        screen.contains("sorted by memory") && screen.contains("RSS▼"),
        "{screen}"
    );
    assert_eq!(
        app.top.current().map(|p| p.pid),
        Some(11),
        "the selection follows the pid"
    );
    app.update(Action::User(UserAction::GoTop));
    app.update(Action::User(UserAction::SignalProcess));
    app.update(Action::User(UserAction::NextChoice));
    let buf = draw(&app, &theme, 120, 40);
    let screen = rows(&buf).join("\n");
    assert!(
        screen.contains("Send SIGKILL to process 12 in 'web'?"),
        "{screen}"
    );
    assert!(
        screen.contains("[ KILL ]") && screen.contains("  TERM  "),
        "{screen}"
    );
    assert_eq!(
        fg_at(&buf, "[ KILL ]"),
        theme.style(Role::Selection).fg.expect("fg")
    );
    let fx = app.update(Action::User(UserAction::Confirm));
    let op = EngineOp::Signal {
        container: "web".into(),
        pid: 12,
        signal: "KILL".into(),
    };
    assert_eq!(fx, vec![Effect::Engine(op)]);
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("kill -s KILL 12  # host pid, in web")
    );
}

#[test]
fn containers_pane_shows_published_ports_and_networks_as_docker_ps() {
    use crate::engine::container::PortBinding;
    use crate::engine::network::membership::Memberships;
    let theme = Theme::preset("default").expect("theme");
    let mut list = sample();
    list[0].config.net.ports = vec![PortBinding {
        host_ip: String::new(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    list[0].config.network_mode = "bridge".into();
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    let mut m = Memberships::default();
    m.insert(&list[0].config.id, vec!["bridge".into(), "front".into()]);
    app.update(Action::NetworksOfContainers(m));
    app.update(Action::ContainersListed(Ok(list)));
    for (w, h) in [(120, 30), (80, 24)] {
        let buf = draw(&app, &theme, w, h);
        let screen = rows(&buf).join("\n");
        let (_, y) = find(&buf, "web ");
        let row = &rows(&buf)[y as usize];
        assert!(row.contains("0.0.0.0:8080->80/tcp"), "{w}x{h}:\n{screen}");
        assert!(row.contains("Up 5 minutes"), "{w}x{h}:\n{screen}");
        if w >= 120 {
            assert!(row.contains("bridge,front"), "{w}x{h}:\n{screen}");
            assert!(
                screen.contains("PORTS") && screen.contains("NETWORKS"),
                "{screen}"
            );
        }
        // A container without networks of berth's shows its mode.
        let (_, y) = find(&buf, "job ");
        assert!(
            w < 120 || rows(&buf)[y as usize].contains("none"),
            "{w}x{h}:\n{screen}"
        );
    }
}
