//! The Logs pane's search, filter, timestamps, wrap, merged view (rendered on ratatui's
//! TestBackend, driven by actions as the keys would), and what saving asks for
//! (`tests/tui_logs_save.rs` saves a real container's log).

mod ansi;

use crate::engine::{Container, ContainerConfig, ContainerState, Status};
use crate::engine::{LogLine, Stream};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppSettings};
use crate::tui::keymap::Keymap;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui;
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn container(n: u8, name: &str) -> Container {
    Container {
        config: ContainerConfig {
            id: format!("{n:02x}").repeat(32).parse().expect("container id"),
            name: name.into(),
            created: Utc::now(),
            image: "busybox".into(),
            cmd: vec!["sh".into()],
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
        },
        state: ContainerState {
            status: Status::Running,
            ..Default::default()
        },
    }
}

fn line(text: &str, second: u32) -> LogLine {
    LogLine {
        stream: Stream::Stdout,
        time: format!("2026-03-01T12:00:{second:02}.000000000Z"),
        text: format!("{text}\n"),
    }
}

fn app() -> App {
    let mut a = App::new(Keymap::default(), AppSettings::default(), Utc::now());
    a.update(Action::Resize {
        width: 100,
        height: 30,
    });
    a.update(Action::ContainersListed(Ok(vec![
        container(1, "web"),
        container(2, "db"),
    ])));
    a
}

fn push(a: &mut App, lines: Vec<LogLine>) {
    let generation = a.logs.generation;
    a.update(Action::LogLines { generation, lines });
}

fn key(a: &mut App, c: char) -> Vec<Effect> {
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

/// `/` in the Logs pane (on a list it filters the list).
fn search(a: &mut App, text: &str) {
    a.focus = crate::tui::app::Pane::Logs;
    key(a, '/');
    for c in text.chars() {
        key(a, c);
    }
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
}

fn draw(a: &App) -> Buffer {
    let theme = Theme::preset("default").expect("theme");
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    t.draw(|f| ui::render(a, &theme, f.area(), f.buffer_mut()))
        .expect("draw");
    t.backend().buffer().clone()
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

/// Cells of the first occurrence of `text` on a row that also holds `on_row`.
fn find(buf: &Buffer, text: &str, on_row: &str) -> (u16, u16) {
    for (y, row) in rows(buf).iter().enumerate() {
        if row.contains(on_row)
            && let Some(i) = row.find(text)
        {
            return (row[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", rows(buf).join("\n"));
}

fn log_rows(buf: &Buffer) -> Vec<String> {
    let all = rows(buf);
    let start = all
        .iter()
        .position(|r| r.contains("Logs:"))
        .expect("logs pane");
    all[start + 1..]
        .iter()
        .take_while(|r| !r.starts_with('└') && !r.starts_with('┗'))
        .map(|r| {
            r.trim_matches(|c| c == '│' || c == ' ' || c == '┃')
                .to_string()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

#[test]
fn search_highlights_jumps_and_filters() {
    let theme = Theme::preset("default").expect("theme");
    let mut a = app();
    push(
        &mut a,
        vec![
            line("GET /a 200", 1),
            line("error: disk full", 2),
            line("GET /b 200", 3),
            line("warning: error rate up", 4),
            line("GET /c 200", 5),
        ],
    );
    search(&mut a, "error");
    let buf = draw(&a);
    assert!(
        rows(&buf)
            .iter()
            .any(|r| r.contains("Logs: web (paused, 1 newer lines) · /error")),
        "title"
    );
    let msg = a
        .status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(msg.contains("2 lines match 'error'"), "{msg}");
    // The newest match is the current one; the other is highlighted as a match.
    let (x, y) = find(&buf, "error", "rate up");
    assert_eq!(
        buf[(x, y)].bg,
        theme.style(Role::SearchCurrent).bg.expect("bg")
    );
    let (x, y) = find(&buf, "error", "disk full");
    assert_eq!(
        buf[(x, y)].bg,
        theme.style(Role::SearchMatch).bg.expect("bg")
    );
    let (x, y) = find(&buf, "GET /a", "GET /a");
    assert_ne!(
        buf[(x, y)].bg,
        theme.style(Role::SearchMatch).bg.expect("bg")
    );
    // n: the older match becomes current and the view ends at it.
    key(&mut a, 'n');
    let buf = draw(&a);
    let (x, y) = find(&buf, "error", "disk full");
    assert_eq!(
        buf[(x, y)].bg,
        theme.style(Role::SearchCurrent).bg.expect("bg")
    );
    assert_eq!(
        log_rows(&buf).last().map(String::as_str),
        Some("error: disk full")
    );
    // F: only the matching lines.
    key(&mut a, 'F');
    let buf = draw(&a);
    assert_eq!(
        log_rows(&buf),
        ["error: disk full", "warning: error rate up"],
        "{}",
        rows(&buf).join("\n")
    );
    key(&mut a, 'F');
    assert_eq!(log_rows(&draw(&a)).len(), 5);
}

#[test]
fn timestamps_and_wrap_change_the_lines() {
    let mut a = app();
    let long = format!("start {} end", "x".repeat(150));
    push(&mut a, vec![line("short", 1), line(&long, 2)]);
    let before = log_rows(&draw(&a));
    assert_eq!(before.len(), 2);
    assert!(!before[1].ends_with("end"), "cut at the edge: {before:?}");
    key(&mut a, 'w');
    let wrapped = log_rows(&draw(&a));
    assert_eq!(wrapped.len(), 3, "{wrapped:?}");
    assert!(wrapped[2].ends_with("end"), "{wrapped:?}");
    key(&mut a, 'w');
    key(&mut a, 'T');
    let timed = log_rows(&draw(&a));
    assert!(
        timed[0].starts_with("03-01 12:00:01.000 short"),
        "{timed:?}"
    );
}

#[test]
fn merged_view_interleaves_by_time_with_coloured_names() {
    let theme = Theme::preset("default").expect("theme");
    let mut a = app();
    // No marks: every running container.
    let effects = key(&mut a, 'M');
    let Some(Effect::FollowMerged {
        containers,
        generation,
        ..
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::FollowMerged { .. }))
        .cloned()
    else {
        panic!("no merged follow: {effects:?}");
    };
    assert_eq!(containers, ["web", "db"]);
    for (source, text, second) in [(0, "web one", 1), (0, "web three", 3), (1, "db two", 2)] {
        a.update(Action::MergedLogLines {
            generation,
            source,
            lines: vec![line(text, second)],
        });
    }
    let buf = draw(&a);
    assert_eq!(
        log_rows(&buf),
        ["web │ web one", "db  │ db two", "web │ web three"],
        "{}",
        rows(&buf).join("\n")
    );
    assert!(
        rows(&buf)
            .iter()
            .any(|r| r.contains("Logs: web + db (merged"))
    );
    let (x, y) = find(&buf, "db ", "db two");
    assert_eq!(
        buf[(x, y)].fg,
        theme.style(Role::LogSource2).fg.expect("fg")
    );
    let (x, y) = find(&buf, "web", "web one");
    assert_eq!(
        buf[(x, y)].fg,
        theme.style(Role::LogSource1).fg.expect("fg")
    );
    // Moving the selection keeps the merged view; M again goes back to one log.
    let effects = key(&mut a, 'j');
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::FollowLogs { .. }))
    );
    let effects = key(&mut a, 'M');
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FollowLogs { container: Some(c), .. } if c == "db"))
    );
    assert!(a.logs.merged.is_empty());

    // Marks choose the containers.
    key(&mut a, ' ');
    assert!(rows(&draw(&a)).iter().any(|r| r.contains("db *")));
    let effects = key(&mut a, 'M');
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FollowMerged { containers, .. } if containers == &["db"]))
    );
}

#[test]
fn save_asks_for_the_whole_log_as_filtered() {
    let mut a = app();
    push(&mut a, vec![line("error one", 1)]);
    search(&mut a, "error");
    key(&mut a, 'F');
    key(&mut a, 'T');
    let effects = key(&mut a, 'W');
    let Some(Effect::SaveLog {
        containers,
        file,
        timestamps,
        filter,
    }) = effects.first().cloned()
    else {
        panic!("no save: {effects:?}");
    };
    assert_eq!(containers, ["web"]);
    assert!(timestamps);
    assert_eq!(filter.as_deref(), Some("error"));
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    assert!(name.starts_with("web-") && name.ends_with(".log"), "{name}");
    let line = a.command_log.last().cloned().unwrap_or_default();
    assert!(
        line.starts_with("berth logs -t web | grep -iF error > "),
        "{line}"
    );
}
