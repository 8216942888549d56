//! The Stats pane on TestBackend: the charts in their roles, scrolling back in time, and
//! the sparklines of the container list.

use crate::engine::StatsSample;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

/// Five samples of `web`, a second apart: 25% CPU, memory rising to 50 of 100 MiB,
/// 2 kB/s received.
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
        "Memory 50MiB / 100MiB limit (50.0%)",
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

/// A small container on a big host: the memory chart follows its 880 KiB, not the host's
/// memory (where the line would lie flat on the axis), and the title says there is no
/// limit.
#[test]
fn memory_chart_is_scaled_to_the_data_not_the_host() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    let id = app.containers.list[0].id().clone();
    let t0 = std::time::Instant::now();
    for i in 0..5u64 {
        app.update(Action::StatsSampled(vec![StatsSample {
            id: id.clone(),
            name: "web".into(),
            memory_usage: 880 << 10,
            memory_limit: 23 << 30,
            memory_limited: false,
            running: true,
            at: Some(t0 + std::time::Duration::from_secs(i)),
            ..Default::default()
        }]));
    }
    app.update(Action::User(UserAction::FocusStats));
    let buf = draw(&app, &theme, 120, 40);
    let (mx, title_y) = find(&buf, "Memory 880KiB (no limit)");
    let mem_fg = theme.style(Role::ChartMemory).fg.expect("fg");
    // The chart's x axis labels sit on the row below its plot area.
    let axis_y = (title_y..buf.area.height)
        .find(|&y| rows(&buf)[y as usize].contains("-120s"))
        .expect("x axis under the memory chart");
    let line_ys: Vec<u16> = (title_y..axis_y)
        .filter(|&y| {
            (mx.saturating_sub(10)..buf.area.width).any(|x| {
                let c = &buf[(x, y)];
                c.fg == mem_fg
                    && c.symbol()
                        .chars()
                        .any(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
            })
        })
        .collect();
    let top = *line_ys.first().expect("a memory line");
    assert!(
        top < title_y + (axis_y - title_y) / 2,
        "the line should sit in the upper half (rows {title_y}..{axis_y}), is at {top}"
    );
}
