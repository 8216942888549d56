//! What the dashboard's render tests share: a fixed clock, containers in each state, an
//! app with them listed, and drawing on ratatui's TestBackend with lookups of text and
//! colours on the screen.

use crate::engine::{Container, ContainerConfig, ContainerState, Status};
use crate::tui::action::Action;
use crate::tui::app::{App, AppSettings};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::tui::ui;
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

pub(crate) fn container(n: u8, name: &str, status: Status) -> Container {
    Container {
        config: ContainerConfig {
            id: format!("{n:x}{n:x}")
                .repeat(32)
                .parse()
                .expect("container id"),
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
pub(crate) fn sample() -> Vec<Container> {
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

pub(crate) fn app_with(keymap: Keymap) -> App {
    // The real command line, as the program's bootstrap installs it.
    crate::tui::panes::palette::commands::install(crate::bootstrap::command_line());
    let mut app = App::new(keymap, AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(sample())));
    app
}

pub(crate) fn draw(app: &App, theme: &Theme, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::render(app, theme, f.area(), f.buffer_mut()))
        .expect("draw");
    term.backend().buffer().clone()
}

pub(crate) fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Column and row of the first occurrence of `text` (every cell here is one char wide).
pub(crate) fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for (y, row) in rows(buf).iter().enumerate() {
        if let Some(i) = row.find(text) {
            let x = row[..i].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", rows(buf).join("\n"));
}

pub(crate) fn fg_at(buf: &Buffer, text: &str) -> Color {
    let (x, y) = find(buf, text);
    buf[(x, y)].fg
}

/// The screens people use: a terminal's default, a larger window, a wide monitor.
pub(crate) const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (250, 70)];

/// The names of `realistic()`: short, long, and 20 characters.
pub(crate) const NAMES: [&str; 3] = ["worker", "web-frontend-1", "a-twenty-char-name-x"];

/// The image of `a-twenty-char-name-x` in `realistic()`.
pub(crate) const LONG_IMAGE: &str = "registry.example.com:5000/team/app:1.2.3";

/// Containers as people name them: `web-frontend-1` up 3 seconds publishing
/// 0.0.0.0:18088 -> 80/tcp, `worker` exited (137) 2 minutes ago, `a-twenty-char-name-x`
/// of `LONG_IMAGE` up 3 seconds.
pub(crate) fn realistic() -> Vec<Container> {
    let up = |n: u8, name: &str| {
        let mut c = container(n, name, Status::Running);
        c.state.pid = 4242;
        c.state.started_at = Some(now() - Duration::seconds(3));
        c
    };
    let mut web = up(1, NAMES[1]);
    web.config.image = "127.0.0.1:5000/peer:latest".into();
    web.config.net.ports = vec![crate::engine::PortBinding {
        host_ip: String::new(),
        host_port: 18088,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    let mut worker = container(2, NAMES[0], Status::Exited);
    worker.config.image = "busybox:latest".into();
    worker.state.exit_code = 137;
    worker.state.started_at = Some(now() - Duration::hours(1));
    worker.state.finished_at = Some(now() - Duration::minutes(2));
    let mut long = up(3, NAMES[2]);
    long.config.image = LONG_IMAGE.into();
    vec![web, worker, long]
}

/// Panics unless each of `texts` is on the screen whole (`at` names the screen).
pub(crate) fn assert_whole(buf: &Buffer, texts: &[&str], at: &str) {
    let screen = rows(buf).join("\n");
    if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
        eprintln!("{at}:\n{screen}");
    }
    for text in texts {
        assert!(screen.contains(text), "{at}: '{text}' missing:\n{screen}");
    }
}

/// How many cells right of the header `a` the header `b` starts, on the first row that
/// has both (the header row of a table).
pub(crate) fn header_gap(buf: &Buffer, a: &str, b: &str) -> u16 {
    for row in rows(buf) {
        let Some(i) = row.find(&format!("{a} ")) else {
            continue;
        };
        if let Some(j) = row[i + a.len()..].find(&format!(" {b}")) {
            let from = row[..i].chars().count();
            let to = row[..i + a.len() + j + 1].chars().count();
            return (to - from) as u16;
        }
    }
    panic!("no row with '{a}' then '{b}':\n{}", rows(buf).join("\n"));
}
