//! The Top pane on TestBackend: processes sorted by CPU, and a signal sent only after its
//! confirmation.

use crate::engine::ProcessInfo;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};

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
    let order: Vec<u16> = ["S busy-loop", "S database", "S sh"]
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

const GUNICORN: &str =
    "/usr/local/bin/python3 -m gunicorn app:server --workers 4 --bind 0.0.0.0:80";

/// The Top pane of `a-twenty-char-name-x` with a short and a long command line.
fn realistic_top() -> crate::tui::app::App {
    let mut app = app_with(Keymap::default());
    app.update(Action::ContainersListed(Ok(realistic())));
    app.containers.selected = app
        .containers
        .list
        .iter()
        .position(|c| c.name() == NAMES[2])
        .expect("the long name");
    app.update(Action::User(UserAction::FocusTop));
    let generation = app.top.generation;
    let mut long = process(4242, 12.5, 81_920, GUNICORN);
    long.user = "www-data".into();
    app.update(Action::TopListed {
        generation,
        result: Ok(vec![
            long,
            process(4300, 0.5, 2048, "nginx: worker process"),
        ]),
    });
    app
}

#[test]
fn pids_and_commands_show_at_every_size_and_the_command_takes_the_rest() {
    let theme = Theme::preset("default").expect("theme");
    let app = realistic_top();
    for (w, h) in SIZES {
        let buf = draw(&app, &theme, w, h);
        assert_whole(
            &buf,
            &[
                "Top: a-twenty-char-name-x",
                "4242",
                "4300",
                "nginx: worker process",
            ],
            &format!("{w}x{h}"),
        );
        // The long command starts on its row, cut with an ellipsis where it must be.
        let (_, y) = find(&buf, "/usr/local/bin/python3 -m");
        let row = &rows(&buf)[y as usize];
        assert!(row.contains("4242"), "{w}x{h}: {row}");
        assert!(
            row.contains(GUNICORN) || row.contains('…'),
            "{w}x{h}: {row}"
        );
    }
    // 80x24: the command gets what the other columns leave, not a stub.
    let buf = draw(&app, &theme, 80, 24);
    assert_whole(&buf, &["/usr/local/bin/python3 -m gunicorn app…"], "80x24");
    // 250x70: everything whole, each column its content's width.
    let buf = draw(&app, &theme, 250, 70);
    assert_whole(&buf, &[GUNICORN, "www-data", "00:01:15", "80MiB"], "250x70");
    assert_eq!(header_gap(&buf, "USER", "CPU%▼"), 9);
}
