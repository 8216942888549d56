//! The Logs pane keeps a program's ANSI colours and marks stderr lines (TestBackend).

use crate::engine::{LogLine, Stream};
use crate::tui::action::Action;
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use ratatui::style::Color;

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
