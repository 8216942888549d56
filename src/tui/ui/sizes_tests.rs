//! The dashboard at the sizes people use (TestBackend): `z` zooms the focused pane and
//! restores the layout, the command log folds to one line on a short screen, the Stats
//! pane shows fewer, readable charts under a tab row when four do not fit, popups and
//! forms fit 80x24 and 60x20, and every pane draws without panicking from 20x5 to
//! 300x80 with the status bar on the last row.

use crate::engine::StatsSample;
use crate::tui::action::{Action, EngineOp};
use crate::tui::app::{App, Pane, Popup, Prompt, PromptKind};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::panes::stats::view::MIN_CHART_ROWS;
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;

mod popups;

fn theme() -> Theme {
    Theme::preset("default").expect("theme")
}

fn press(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

/// Five samples of `web`, a second apart: 25% CPU, memory rising to 50 of 100 MiB.
fn sampled(app: &mut App) {
    let id = app.containers.list[0].id().clone();
    let t0 = std::time::Instant::now();
    for i in 0..5u64 {
        app.update(Action::StatsSampled(vec![StatsSample {
            id: id.clone(),
            name: "web".into(),
            cpu_total_ns: i * 250_000_000,
            memory_usage: ((i + 1) * 10) << 20,
            memory_limit: 100 << 20,
            memory_limited: true,
            net_rx: i * 2000,
            running: true,
            at: Some(t0 + std::time::Duration::from_secs(i)),
            ..Default::default()
        }]));
    }
}

/// Whether the whole last row is in the status bar's colours.
fn status_bar_last(buf: &Buffer, theme: &Theme) -> bool {
    let bg = theme.style(Role::StatusBar).bg;
    let y = buf.area.height - 1;
    (0..buf.area.width).all(|x| Some(buf[(x, y)].bg) == bg)
}

#[test]
fn z_zooms_the_focused_pane_and_z_again_restores() {
    let theme = theme();
    let mut app = app_with(Keymap::default());
    let before = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(before.contains("Logs: web"), "{before}");
    assert!(before.contains("Command log"), "{before}");

    press(&mut app, 'z');
    assert!(app.zoomed);
    let buf = draw(&app, &theme, 80, 24);
    let screen = rows(&buf);
    let text = screen.join("\n");
    // The container list: its thick border from the first column to the last, from the
    // first row to the one above the status bar; nothing else but the status bar.
    assert!(
        screen[0].starts_with('┏') && screen[0].ends_with('┓'),
        "{text}"
    );
    assert!(
        screen[22].starts_with('┗') && screen[22].ends_with('┛'),
        "{text}"
    );
    assert!(text.contains("Containers"), "{text}");
    assert!(!text.contains("Logs: web"), "{text}");
    assert!(!text.contains("Command log"), "{text}");
    assert!(screen[0].contains("zoomed: z restores"), "{text}");
    assert!(status_bar_last(&buf, &theme), "{text}");

    // The zoom follows the focus: the Stats pane takes the screen.
    app.update(Action::User(UserAction::FocusStats));
    let text = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(text.starts_with("┏ Stats: web"), "{text}");
    assert!(!text.contains("Containers"), "{text}");

    // In the Images pane, the focused part of it: here the history.
    app.update(Action::User(UserAction::FocusImages));
    app.update(Action::User(UserAction::FocusRight));
    let text = rows(&draw(&app, &theme, 80, 24)).join("\n");
    // (No image listed: the history's frame is drawn unfocused.)
    assert!(text.starts_with("┌ History "), "{text}");
    assert!(!text.contains("Images ("), "{text}");
    app.update(Action::User(UserAction::FocusStats));

    press(&mut app, 'z');
    assert!(!app.zoomed);
    let after = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(after.contains("Containers"), "{after}");
    assert!(after.contains("Stats: web"), "{after}");
    assert!(after.contains("Command log"), "{after}");
    assert!(!after.contains("zoomed"), "{after}");
}

#[test]
fn command_log_folds_to_its_newest_entry_on_a_short_screen() {
    let theme = theme();
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::StopContainer));
    app.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    app.update(Action::User(UserAction::FocusStats));
    assert_eq!(
        app.command_log,
        vec!["berth stop web".to_string(), "berth stats web".to_string()]
    );

    // 80x24: one line above the status bar, with the newest entry only.
    let screen = rows(&draw(&app, &theme, 80, 24));
    let text = screen.join("\n");
    assert!(
        screen[22].starts_with(" Command log (y: copy): berth stats web"),
        "{text}"
    );
    assert!(!text.contains("berth stop web"), "{text}");
    assert_eq!(
        text.matches("Command log").count(),
        1,
        "one line, no box: {text}"
    );

    // 120x40: the five-row strip, in a box, both entries.
    let screen = rows(&draw(&app, &theme, 120, 40));
    let text = screen.join("\n");
    assert!(screen[34].contains("Command log (y: copy)"), "{text}");
    assert!(screen[35].contains("berth stop web"), "{text}");
    assert!(screen[36].contains("berth stats web"), "{text}");
    assert!(screen[38].starts_with('└'), "{text}");
}

#[test]
fn stats_pane_shows_readable_charts_under_a_tab_row_when_four_do_not_fit() {
    let theme = theme();
    let mut app = app_with(Keymap::default());
    sampled(&mut app);
    app.update(Action::User(UserAction::FocusStats));

    let buf = draw(&app, &theme, 80, 24);
    let screen = rows(&buf);
    let text = screen.join("\n");
    if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
        eprintln!("{text}");
    }
    let (_, tabs_y) = find(&buf, " CPU │ Memory │ Network │ Block I/O ");
    assert!(text.contains("h/l: other charts"), "{text}");
    // CPU is the one shown, marked in the tab row; its chart is readable.
    let (x, _) = find(&buf, " CPU │");
    assert_eq!(
        buf[(x + 1, tabs_y)].bg,
        theme.style(Role::Selection).bg.expect("bg")
    );
    let (_, title_y) = find(&buf, "CPU 25.0%");
    let axis_y = (title_y..buf.area.height)
        .find(|&y| screen[y as usize].contains("-120s"))
        .expect("the CPU chart's x axis");
    assert!(
        axis_y - title_y + 2 >= MIN_CHART_ROWS,
        "the chart is {} rows:\n{text}",
        axis_y - title_y + 2
    );
    for hidden in ["Memory 50MiB", "Net rx", "Block I/O read"] {
        assert!(!text.contains(hidden), "'{hidden}' shown:\n{text}");
    }

    // l (or right) goes to the next chart, h back.
    press(&mut app, 'l');
    let text = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(
        text.contains("Memory 50MiB / 100MiB limit (50.0%)"),
        "{text}"
    );
    assert!(!text.contains("CPU 25.0%"), "{text}");
    press(&mut app, 'h');
    press(&mut app, 'h');
    let text = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(text.contains("Block I/O read 0B/s write 0B/s"), "{text}");

    // A click on a chart's name in the tab row shows that chart.
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    let buf = draw(&app, &theme, 80, 24);
    let (x, y) = find(&buf, " Network │");
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x + 2,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    let text = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(text.contains("Net rx 2kB/s tx 0B/s"), "{text}");
    assert!(!text.contains("Block I/O read"), "{text}");

    // 250x70: all four, no tab row.
    let text = rows(&draw(&app, &theme, 250, 70)).join("\n");
    for title in [
        "CPU 25.0%",
        "Memory 50MiB / 100MiB limit (50.0%)",
        "Net rx 2kB/s tx 0B/s",
        "Block I/O read 0B/s write 0B/s",
    ] {
        assert!(text.contains(title), "'{title}' missing:\n{text}");
    }
    assert!(!text.contains("other charts"), "{text}");
}

#[test]
fn every_pane_draws_at_every_size_with_the_status_bar_last() {
    let theme = theme();
    let sizes = [
        (1, 1),
        (20, 5),
        (30, 8),
        (40, 12),
        (60, 20),
        (80, 24),
        (100, 30),
        (120, 40),
        (200, 50),
        (250, 70),
        (300, 80),
    ];
    let panes = [
        UserAction::FocusLogs,
        UserAction::FocusStats,
        UserAction::FocusTop,
        UserAction::FocusChanges,
        UserAction::FocusImages,
        UserAction::FocusNetworks,
        UserAction::FocusVolumes,
        UserAction::FocusTimeline,
        UserAction::FocusTopology,
    ];
    for zoomed in [false, true] {
        for pane in [None].into_iter().chain(panes.map(Some)) {
            let mut app = app_with(Keymap::default());
            sampled(&mut app);
            if let Some(p) = pane {
                app.update(Action::User(p));
            }
            app.zoomed = zoomed;
            for (w, h) in sizes {
                app.update(Action::Resize {
                    width: w,
                    height: h,
                });
                let buf = draw(&app, &theme, w, h);
                let text = rows(&buf).join("\n");
                let what = format!("{pane:?} zoomed={zoomed} at {w}x{h}");
                assert!(status_bar_last(&buf, &theme), "{what}:\n{text}");
                if w >= 60 && h >= 20 {
                    let above = &rows(&buf)[usize::from(h) - 2];
                    if zoomed {
                        assert!(!text.contains("Command log"), "{what}:\n{text}");
                    } else if h < 30 {
                        assert!(above.starts_with(" Command log"), "{what}:\n{text}");
                    } else {
                        assert!(above.starts_with('└'), "{what}:\n{text}");
                    }
                    let list_shown =
                        app.focus == Pane::Containers || (app.focus.is_detail() && !zoomed);
                    assert_eq!(text.contains("Containers ("), list_shown, "{what}:\n{text}");
                }
            }
        }
    }
}

#[test]
fn a_shell_opened_while_zoomed_gets_the_whole_screen() {
    let mut app = app_with(Keymap::default());
    app.update(Action::Resize {
        width: 100,
        height: 40,
    });
    press(&mut app, 'z');
    let effects = app.update(Action::User(UserAction::ExecShell));
    let size = effects.iter().find_map(|e| match e {
        crate::tui::action::Effect::OpenShell { size, .. } => Some(*size),
        _ => None,
    });
    // 40 rows less the status bar and the border; 100 columns less the border.
    assert_eq!(size, Some((37, 98)), "{effects:?}");
    assert_eq!(app.focus, Pane::Shell);
    let screen = rows(&draw(&app, &theme(), 100, 40));
    assert!(
        screen[0].starts_with('┏') && screen[0].ends_with('┓'),
        "{}",
        screen.join("\n")
    );
    assert!(!screen.join("\n").contains("Containers ("));
}
