//! The Timeline pane: events and log lines merged in time order (ties, a container
//! restarted twice, an oom), long runs of lines folded and shown again with `enter`, `L`
//! and `:timeline` starting the watcher, stale news dropped, samples kept, and the render
//! at 80x24 and 200x60 with events, exit codes, lines and times in order.

use super::merge::{CONTEXT, RowKind, merge};
use super::state::{LogEntry, Sample, TimelineView};
use crate::engine::{Event, EventAction, EventType, LogLine, Stream};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{HashSet, VecDeque};

/// `ms` milliseconds after the test clock.
fn at(ms: i64) -> DateTime<Utc> {
    now() + Duration::milliseconds(ms)
}

fn event(ms: i64, action: EventAction, attrs: &[(&str, &str)]) -> Event {
    Event {
        time: at(ms),
        kind: EventType::Container,
        action,
        id: "11".repeat(32),
        attributes: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn die(ms: i64, code: &str) -> Event {
    event(ms, EventAction::Die, &[("exitCode", code)])
}

fn line(ms: i64, text: &str) -> LogLine {
    LogLine {
        stream: Stream::Stdout,
        time: at(ms).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        text: format!("{text}\n"),
    }
}

/// The rows of `events` and `lines` as words: the action, or the line's text.
fn merged(events: Vec<Event>, lines: Vec<LogLine>) -> Vec<String> {
    let mut v = TimelineView::default();
    v.reset(Some(("id".into(), "web".into())), 100);
    v.add_events(events);
    v.add_lines(lines);
    words(&v)
}

fn words(v: &TimelineView) -> Vec<String> {
    v.rows
        .iter()
        .map(|r| match r.kind {
            RowKind::Event(i) => v.events[i].action.to_string(),
            RowKind::Log(seq) => v.line(seq).expect("kept").text.clone(),
            RowKind::Fold { hidden } => format!("…{hidden}"),
        })
        .collect()
}

#[test]
fn ties_put_a_start_before_the_lines_and_a_death_after_them() {
    let rows = merged(
        vec![
            event(0, EventAction::Start, &[]),
            die(500, "3"),
            event(500, EventAction::Oom, &[]),
        ],
        vec![line(0, "first"), line(500, "last")],
    );
    assert_eq!(rows, ["start", "first", "last", "die", "oom"]);
    // Lines of one instant keep the order they were read in.
    let rows = merged(vec![], vec![line(7, "b"), line(7, "a")]);
    assert_eq!(rows, ["b", "a"]);
}

#[test]
fn a_container_restarted_twice_reads_as_three_runs_in_time_order() {
    // The journal and the log arrive separately, each in its own order.
    let events = vec![
        event(-100, EventAction::Create, &[("image", "busybox")]),
        event(0, EventAction::Start, &[]),
        die(1000, "3"),
        event(1100, EventAction::Restart, &[]),
        die(2200, "3"),
        event(2400, EventAction::Restart, &[]),
        event(3500, EventAction::Oom, &[]),
        die(3500, "137"),
    ];
    let lines = vec![
        line(10, "one"),
        line(990, "two"),
        line(1110, "one"),
        line(2190, "two"),
        line(2410, "one"),
    ];
    assert_eq!(
        merged(events, lines),
        [
            "create", "start", "one", "two", "die", "restart", "one", "two", "die", "restart",
            "one", "oom", "die"
        ]
    );
}

#[test]
fn events_and_lines_arriving_in_any_order_are_merged_by_time() {
    let mut v = TimelineView::default();
    v.reset(Some(("id".into(), "web".into())), 100);
    v.add_lines(vec![line(10, "one"), line(990, "two")]);
    v.add_events(vec![event(0, EventAction::Start, &[])]);
    v.add_events(vec![die(1000, "3")]);
    assert_eq!(words(&v), ["start", "one", "two", "die"]);
    assert_eq!(v.selected, 3, "following: the newest row is selected");
}

#[test]
fn long_runs_are_folded_next_to_the_events_and_enter_shows_them() {
    let lines: Vec<LogLine> = (0..20).map(|i| line(100 + i, &format!("l{i}"))).collect();
    let mut v = TimelineView::default();
    v.reset(Some(("id".into(), "web".into())), 100);
    v.add_events(vec![event(0, EventAction::Start, &[]), die(1000, "1")]);
    v.add_lines(lines);
    let rows = words(&v);
    assert_eq!(rows.len(), 2 + 2 * CONTEXT + 1, "{rows:?}");
    assert_eq!(rows[1], "l0");
    assert_eq!(rows[1 + CONTEXT], format!("…{}", 20 - 2 * CONTEXT));
    assert_eq!(rows[rows.len() - 2], "l19");
    // enter on the die event: every line before it shows; again: folded.
    v.move_by(isize::MAX, 10);
    assert_eq!(words(&v)[v.selected], "die");
    assert_eq!(v.toggle(), Some((true, 20)));
    assert_eq!(words(&v).len(), 22);
    assert_eq!(
        words(&v)[v.selected],
        "die",
        "the selection stays on the event"
    );
    assert_eq!(v.toggle(), Some((false, 2 * CONTEXT)));
    assert_eq!(words(&v).len(), 2 + 2 * CONTEXT + 1);
    // enter on the fold itself shows its lines.
    v.move_by(isize::MIN, 10);
    v.move_by(1 + CONTEXT as isize, 10);
    assert!(words(&v)[v.selected].starts_with('…'));
    assert_eq!(v.toggle().map(|t| t.0), Some(true));
    assert_eq!(words(&v).len(), 22);
}

#[test]
fn the_oldest_lines_go_past_the_capacity_and_samples_stay_in_order() {
    let mut v = TimelineView::default();
    v.reset(Some(("id".into(), "web".into())), 3);
    v.add_lines((0..5).map(|i| line(i, &format!("l{i}"))).collect());
    assert_eq!(words(&v), ["l2", "l3", "l4"]);
    let s = |ms, cpu| Sample {
        time: at(ms),
        cpu,
        mem: 1 << 20,
    };
    v.add_sample(s(0, 1.0));
    v.add_sample(s(1000, 2.0));
    v.add_sample(s(1000, 3.0));
    v.add_sample(s(500, 9.0));
    let cpus: Vec<f64> = v.samples.iter().map(|s| s.cpu).collect();
    assert_eq!(
        cpus,
        [1.0, 3.0],
        "a repeat replaces, an older one is dropped"
    );
    assert_eq!(v.samples_between(at(0), Some(at(1000))).len(), 1);
    assert_eq!(v.samples_between(at(1), None).len(), 1);
    let entries: VecDeque<LogEntry> = VecDeque::new();
    assert!(merge(&[], &entries, &HashSet::new()).is_empty());
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// `L` on the selected container (`web`): the pane shows and its watcher starts.
fn opened() -> (App, u64) {
    let mut app = app_with(Keymap::default());
    let effects = press(&mut app, KeyCode::Char('L'));
    assert_eq!((app.focus, app.detail), (Pane::Timeline, Pane::Timeline));
    let id = app.selected_container().expect("selected").id().to_string();
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::WatchTimeline {
                container: Some(c),
                generation,
                ..
            } if *c == id => Some(*generation),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no watcher for {id}: {effects:?}"));
    assert_eq!(
        app.command_log.last(),
        Some(&"berth logs -t web".to_string())
    );
    (app, generation)
}

#[test]
fn l_opens_the_pane_stale_news_is_dropped_and_leaving_stops_the_watcher() {
    let (mut app, generation) = opened();
    app.update(Action::TimelineEvents {
        generation: generation - 1,
        result: Ok(vec![event(0, EventAction::Start, &[])]),
    });
    app.update(Action::TimelineLines {
        generation: generation - 1,
        lines: vec![line(1, "old")],
    });
    assert!(app.timeline.rows.is_empty(), "stale news is dropped");
    app.update(Action::TimelineEvents {
        generation,
        result: Ok(vec![event(0, EventAction::Start, &[])]),
    });
    app.update(Action::TimelineLines {
        generation,
        lines: vec![line(1, "hello")],
    });
    assert_eq!(words(&app.timeline), ["start", "hello"]);
    // The movement keys go to the timeline; enter is its own.
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.timeline.selected, 0);
    assert!(!app.timeline.follow);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Timeline, "enter stays in the pane");
    press(&mut app, KeyCode::Char('G'));
    assert!(app.timeline.follow);
    // Another detail pane stops the watcher.
    let effects = press(&mut app, KeyCode::Char('c'));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::WatchTimeline {
                container: None,
                ..
            }
        )),
        "{effects:?}"
    );
}

#[test]
fn the_stats_samplers_readings_of_the_container_become_samples() {
    let (mut app, _) = opened();
    let id = app.selected_container().expect("web").id().clone();
    let reading = |cpu_ns: u64, secs: u64| crate::engine::StatsSample {
        id: id.clone(),
        name: "web".into(),
        cpu_total_ns: cpu_ns,
        memory_usage: 3 << 20,
        memory_limit: 1 << 30,
        memory_limited: false,
        net_rx: 0,
        net_tx: 0,
        block_read: 0,
        block_write: 0,
        pids: 1,
        running: true,
        at: Some(std::time::Instant::now() + std::time::Duration::from_secs(secs)),
        recent_cpu_percent: None,
    };
    app.update(Action::StatsSampled(vec![reading(0, 0)]));
    app.update(Action::Tick(at(1000)));
    app.update(Action::StatsSampled(vec![reading(500_000_000, 1)]));
    let last = app.timeline.samples.back().copied().expect("a sample");
    assert_eq!((last.time, last.mem), (at(1000), 3 << 20));
    assert!((last.cpu - 50.0).abs() < 1.0, "{last:?}");
}

/// A restarted container's timeline, opened on `web`.
fn with_history() -> App {
    let (mut app, generation) = opened();
    app.update(Action::TimelineEvents {
        generation,
        result: Ok(vec![
            event(0, EventAction::Start, &[]),
            die(1500, "3"),
            event(1600, EventAction::Restart, &[]),
            event(2500, EventAction::HealthStatusUnhealthy, &[]),
            event(3000, EventAction::Oom, &[]),
            die(3000, "137"),
        ]),
    });
    app.update(Action::TimelineLines {
        generation,
        lines: vec![line(20, "one"), line(1020, "two"), line(1620, "again")],
    });
    for (ms, cpu) in [(0, 12.5), (1000, 40.0), (2000, 5.0)] {
        app.timeline.add_sample(Sample {
            time: at(ms),
            cpu,
            mem: 5 << 20,
        });
    }
    app
}

#[test]
fn renders_events_exit_codes_lines_and_times_in_order_at_80x24_and_200x60() {
    let theme = Theme::preset("default").expect("theme");
    let app = with_history();
    for (w, h) in [(80, 24), (200, 60)] {
        let buf = draw(&app, &theme, w, h);
        let screen = rows(&buf);
        let all = screen.join("\n");
        assert!(
            all.contains("Timeline: web (6 events, 3 log lines)"),
            "{w}x{h}:\n{all}"
        );
        let mut last = 0;
        for text in [
            "12:00:00.000 ▶ start",
            "12:00:00.020   │ one",
            "12:00:01.020   │ two",
            "12:00:01.500 ■ die  exit code 3",
            "12:00:01.600 ↻ restart",
            "12:00:01.620   │ again",
            "12:00:02.500 ♥ health_status: unhealthy",
            "12:00:03.000 ! oom",
            "12:00:03.000 ■ die  exit code 137",
        ] {
            let (_, y) = find(&buf, text);
            assert!(y >= last, "{w}x{h}: '{text}' out of order:\n{all}");
            last = y;
        }
        assert_eq!(
            fg_at(&buf, "▶ start"),
            theme.style(Role::StatusRunning).fg.expect("fg")
        );
        assert_eq!(
            fg_at(&buf, "■ die  exit code 3"),
            theme.style(Role::StatusExited).fg.expect("fg")
        );
        assert_eq!(
            fg_at(&buf, "↻ restart"),
            theme.style(Role::StatusCreated).fg.expect("fg")
        );
        // CPU and memory at the start's time, beside it.
        let (_, y) = find(&buf, "▶ start");
        assert!(
            screen[y as usize].contains("12.5%"),
            "{}",
            screen[y as usize]
        );
        assert!(
            screen[y as usize].contains("5MiB"),
            "{}",
            screen[y as usize]
        );
    }
    // Wide: the date too.
    let buf = draw(&app, &theme, 200, 60);
    find(&buf, "03-01 12:00:01.500 ■ die  exit code 3");
}

#[test]
fn moving_scrolls_only_when_the_selection_would_leave_the_screen() {
    let mut v = TimelineView::default();
    v.reset(Some(("id".into(), "web".into())), 100);
    v.add_events((0..30).map(|i| die(i * 10, "1")).collect());
    assert_eq!(
        (v.selected, v.first_shown(10)),
        (29, 20),
        "newest at the bottom"
    );
    v.move_by(-1, 10);
    assert_eq!(
        (v.selected, v.first_shown(10)),
        (28, 20),
        "the screen stays"
    );
    v.move_by(-9, 10);
    assert_eq!(
        (v.selected, v.first_shown(10)),
        (19, 19),
        "one row scrolled"
    );
    // New rows while scrolled back: the screen stays on them.
    v.add_events(vec![die(500, "2")]);
    assert_eq!((v.selected, v.first_shown(10)), (19, 19));
    v.move_by(isize::MIN, 10);
    assert_eq!((v.selected, v.first_shown(10)), (0, 0));
    v.move_by(isize::MAX, 10);
    assert!(v.follow);
    assert_eq!((v.selected, v.first_shown(10)), (30, 21));
}
