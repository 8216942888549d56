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
