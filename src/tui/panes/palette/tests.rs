//! The palette: what lines mean, completion, history, the keys, a command's output, and
//! its line and output popup on TestBackend at 80x24 and at a large size.

use super::complete::{Names, candidates, complete};
use super::state::{CommandOutput, Meaning, PaletteState, View, meaning, split_words};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{Level, Pane, Popup};
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(app: &mut crate::tui::app::App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_line(app: &mut crate::tui::app::App, text: &str) -> Vec<Effect> {
    let mut fx = press(app, KeyCode::Char(':'));
    for c in text.chars() {
        fx.extend(press(app, KeyCode::Char(c)));
    }
    fx
}

/// berth's real command line, as the program's bootstrap installs it.
fn installed() {
    super::commands::install(crate::bootstrap::command_line());
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}

#[test]
fn lines_are_views_commands_or_one_line_answers() {
    installed();
    assert_eq!(meaning("images"), Meaning::View(View::Images));
    assert_eq!(
        meaning("logs web"),
        Meaning::View(View::Logs(Some("web".into())))
    );
    assert_eq!(meaning("stats"), Meaning::View(View::Stats(None)));
    assert_eq!(meaning("quit"), Meaning::View(View::Quit));
    assert_eq!(
        meaning("run -d --name x busybox sleep 100"),
        Meaning::Command(words("run -d --name x busybox sleep 100"))
    );
    assert_eq!(
        meaning("berth network create front"),
        Meaning::Command(words("network create front"))
    );
    // A view word with flags is berth's command of that name.
    assert_eq!(
        meaning("logs --tail 5 web"),
        Meaning::Command(words("logs --tail 5 web"))
    );
    assert_eq!(
        meaning("inspect web"),
        Meaning::View(View::Inspect(Some("web".into())))
    );
    assert_eq!(meaning("volumes"), Meaning::View(View::Volumes));
    assert_eq!(
        meaning("diff web"),
        Meaning::View(View::Diff(Some("web".into())))
    );
    assert_eq!(
        meaning("timeline web"),
        Meaning::View(View::Timeline(Some("web".into())))
    );
    match meaning("events") {
        Meaning::NotAvailable(m) => assert!(m.contains("no events view"), "{m}"),
        other => panic!("{other:?}"),
    }
    // berth's own parser answers typos; commands that need a terminal are refused.
    match meaning("runn -d busybox") {
        Meaning::Invalid(m) => assert!(m.contains("unrecognized subcommand 'runn'"), "{m}"),
        other => panic!("{other:?}"),
    }
    for line in [
        "run busybox",
        "run -it -d busybox",
        "exec -it web sh",
        "attach web",
        "logs -f web",
        "stats web web2",
        "events",
    ] {
        assert!(
            matches!(
                meaning(line),
                Meaning::Invalid(_) | Meaning::NotAvailable(_)
            ),
            "{line}: {:?}",
            meaning(line)
        );
    }
    assert!(matches!(meaning("'unclosed"), Meaning::Invalid(_)));
    assert_eq!(
        split_words(r#"run -d --name "my box" busybox sh -c 'echo a b'"#).expect("split"),
        vec![
            "run", "-d", "--name", "my box", "busybox", "sh", "-c", "echo a b"
        ]
    );
}

#[test]
fn tab_completes_views_commands_subcommands_and_names() {
    installed();
    let names = Names {
        containers: vec!["web".into(), "worker".into(), "db".into()],
        images: vec!["busybox:latest".into()],
        networks: vec!["front".into()],
    };
    assert_eq!(complete("pul", &names).0, "pull ");
    assert_eq!(complete("imag", &names).1, vec!["images", "image"]);
    assert_eq!(complete("netw", &names).0, "network");
    let (text, offered) = complete("netw", &names);
    assert_eq!(text, "network");
    assert_eq!(offered, vec!["networks".to_string(), "network".to_string()]);
    assert_eq!(complete("network cr", &names).0, "network create ");
    assert_eq!(complete("logs d", &names).0, "logs db ");
    let (text, offered) = complete("rm -f w", &names);
    assert_eq!(text, "rm -f w");
    assert_eq!(offered, vec!["web".to_string(), "worker".to_string()]);
    assert_eq!(complete("run -d busy", &names).0, "run -d busybox:latest ");
    assert_eq!(complete("network rm f", &names).0, "network rm front ");
    assert!(candidates("", &names).contains(&"containers".to_string()));
    assert!(candidates("", &names).contains(&"pull".to_string()));
    assert!(candidates("rm --fo", &names).is_empty());
}

#[test]
fn a_password_is_neither_logged_nor_kept() {
    let mut app = app_with(Keymap::default());
    type_line(&mut app, "login -u me -p secret localhost:5000");
    let fx = press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth login -u me -p '***' localhost:5000")
    );
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::RunCommand { argv, .. } if argv.contains(&"secret".to_string()))
        ),
        "{fx:?}"
    );
    assert!(app.palette.history.is_empty());
}

#[test]
fn history_goes_back_and_forth_and_keeps_the_draft() {
    let mut p = PaletteState::default();
    p.remember("images");
    p.remember("logs web");
    p.remember("logs web");
    assert_eq!(p.history, vec!["images", "logs web"]);
    p.input = "draft".into();
    p.browse(true);
    assert_eq!(p.input, "logs web");
    p.browse(true);
    p.browse(true);
    assert_eq!(p.input, "images");
    p.browse(false);
    assert_eq!(p.input, "logs web");
    p.browse(false);
    assert_eq!(p.input, "draft");
    assert_eq!(p.history_text(), "images\nlogs web\n");
}

#[test]
fn the_palette_opens_views_by_name() {
    let mut app = app_with(Keymap::default());
    type_line(&mut app, "images");
    assert!(app.palette.open);
    press(&mut app, KeyCode::Enter);
    assert!(!app.palette.open);
    assert_eq!(app.focus, Pane::Images);
    assert_eq!(app.palette.history, vec!["images"]);

    type_line(&mut app, "logs job");
    let fx = press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Logs);
    assert_eq!(app.selected_container().map(|c| c.name()), Some("job"));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::FollowLogs { container: Some(c), .. } if c == "job")),
        "{fx:?}"
    );
    type_line(&mut app, "top web");
    press(&mut app, KeyCode::Enter);
    assert_eq!((app.focus, app.detail), (Pane::Top, Pane::Top));
    type_line(&mut app, "stats web");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Stats);
    type_line(&mut app, "containers");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Containers);
    type_line(&mut app, "logs nosuch");
    press(&mut app, KeyCode::Enter);
    let status = app.status.clone().expect("status");
    assert_eq!(
        (status.level, status.text.as_str()),
        (Level::Error, "no container 'nosuch'")
    );
    type_line(&mut app, "help");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.popup, Some(Popup::Help));
    press(&mut app, KeyCode::Esc);
    type_line(&mut app, "timeline job");
    let fx = press(&mut app, KeyCode::Enter);
    assert_eq!((app.focus, app.detail), (Pane::Timeline, Pane::Timeline));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("job"));
    let job = app.selected_container().map(|c| c.id().to_string());
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::WatchTimeline { container, .. } if *container == job)),
        "{fx:?}"
    );
    // Up brings the last line back.
    press(&mut app, KeyCode::Char(':'));
    press(&mut app, KeyCode::Up);
    assert_eq!(app.palette.input, "timeline job");
    press(&mut app, KeyCode::Esc);
    assert!(!app.palette.open);
    type_line(&mut app, "quit");
    assert_eq!(press(&mut app, KeyCode::Enter), vec![Effect::Quit]);
}

#[test]
fn commands_run_in_the_background_and_land_in_the_command_log() {
    let mut app = app_with(Keymap::default());
    app.settings.cli_args = vec!["--root".into(), "/r".into()];
    type_line(&mut app, "run -d --name x busybox sleep 100");
    let fx = press(&mut app, KeyCode::Enter);
    let line = "berth run -d --name x busybox sleep 100".to_string();
    assert!(
        fx.contains(&Effect::RunCommand {
            argv: words("--root /r run -d --name x busybox sleep 100"),
            line: line.clone(),
        }),
        "{fx:?}"
    );
    assert_eq!(app.command_log.last(), Some(&line));
    assert_eq!(app.palette.running, vec![line.clone()]);
    // A bad line never runs: berth's parser answers it.
    type_line(&mut app, "rm");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(!fx.iter().any(|e| matches!(e, Effect::RunCommand { .. })));
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
    // One line of output: the status bar; the lists are read again.
    let fx = app.update(Action::CommandFinished {
        line: line.clone(),
        result: Ok(CommandOutput {
            code: Some(0),
            stdout: "f00d\n".into(),
            stderr: String::new(),
        }),
    });
    assert!(fx.contains(&Effect::RefreshContainers) && fx.contains(&Effect::ListImages));
    assert!(app.palette.running.is_empty());
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("berth run -d --name x busybox sleep 100: f00d")
    );
    // More: a popup; a failure is recorded in the command log.
    app.update(Action::CommandFinished {
        line: "berth ps -a".into(),
        result: Ok(CommandOutput {
            code: Some(125),
            stdout: "a\nb\n".into(),
            stderr: "Error: boom\n".into(),
        }),
    });
    assert_eq!(
        app.popup,
        Some(Popup::Output {
            title: "berth ps -a".into(),
            lines: vec!["a".into(), "b".into(), "Error: boom".into()],
            failed: true,
        })
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("#   failed: Error: boom")
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.popup, None);
}

#[test]
fn palette_line_and_output_render_small_and_large() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    type_line(&mut app, "netw");
    press(&mut app, KeyCode::Tab);
    for (w, h) in [(80, 24), (200, 60)] {
        let buf = draw(&app, &theme, w, h);
        let last = rows(&buf).pop().expect("last row");
        assert!(last.starts_with(":network▏"), "{last}");
        assert!(last.contains("networks  network"), "{last}");
    }
    press(&mut app, KeyCode::Esc);
    type_line(&mut app, "run -d --name x busybox");
    let buf = draw(&app, &theme, 80, 24);
    let last = rows(&buf).pop().expect("last row");
    assert!(last.contains("tab complete"), "{last}");
    press(&mut app, KeyCode::Esc);
    let lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
    app.update(Action::CommandFinished {
        line: "berth ps -a".into(),
        result: Ok(CommandOutput {
            code: Some(0),
            stdout: lines.join("\n"),
            stderr: String::new(),
        }),
    });
    for (w, h) in [(80, 24), (200, 60)] {
        let screen = rows(&draw(&app, &theme, w, h)).join("\n");
        assert!(
            screen.contains("berth ps -a")
                && screen.contains("line 0")
                && screen.contains("of 100"),
            "{screen}"
        );
        assert!(!screen.contains("line 99"), "{screen}");
    }
    // A line wider than the screen wraps: its end is on screen too.
    press(&mut app, KeyCode::Esc);
    app.update(Action::CommandFinished {
        line: "berth inspect x".into(),
        result: Ok(CommandOutput {
            code: Some(0),
            stdout: format!("first\n{}END\nlast", "x".repeat(150)),
            stderr: String::new(),
        }),
    });
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(
        screen.contains("END") && screen.contains("first") && screen.contains("last"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    app.update(Action::CommandFinished {
        line: "berth ps -a".into(),
        result: Ok(CommandOutput {
            code: Some(0),
            stdout: lines.join("\n"),
            stderr: String::new(),
        }),
    });
    // The movement keys scroll it.
    press(&mut app, KeyCode::Char('G'));
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(
        screen.contains("line 99") && !screen.contains("line 0 "),
        "{screen}"
    );
}
