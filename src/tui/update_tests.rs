//! Unit tests of `App::update`: no terminal, no engine; actions in, state and effects out.

use super::action::{Action, Effect, EngineOp};
use super::app::{App, AppSettings, Pane, Popup};
use super::keymap::{Keymap, UserAction};
use crate::engine::{Container, ContainerConfig, ContainerState, Status};
use crate::engine::{LogLine, Stream};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

pub(crate) fn container(n: u8, name: &str, status: Status) -> Container {
    Container {
        config: ContainerConfig {
            id: format!("{n:02x}").repeat(32).parse().expect("container id"),
            name: name.into(),
            created: Utc
                .with_ymd_and_hms(2026, 1, 1, 0, 0, n.into())
                .single()
                .expect("time"),
            image: "alpine:3".into(),
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

pub(crate) fn app() -> App {
    App::new(Keymap::default(), AppSettings::default(), Utc::now())
}

pub(crate) fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub(crate) fn listed(app: &mut App, names: &[&str]) -> Vec<Effect> {
    let list = names
        .iter()
        .enumerate()
        .map(|(i, n)| container(i as u8 + 1, n, Status::Running))
        .collect();
    app.update(Action::ContainersListed(Ok(list)))
}

pub(crate) fn follows(effects: &[Effect]) -> Option<Option<String>> {
    effects.iter().find_map(|e| match e {
        Effect::FollowLogs { container, .. } => Some(container.clone()),
        _ => None,
    })
}

#[test]
fn first_list_follows_the_first_container() {
    let mut a = app();
    assert_eq!(
        a.init(),
        vec![Effect::RefreshContainers, Effect::WatchStats(true)]
    );
    let fx = listed(&mut a, &["web", "db"]);
    assert_eq!(follows(&fx), Some(Some("web".into())));
    // The same list again changes nothing.
    assert!(listed(&mut a, &["web", "db"]).is_empty());
}

#[test]
fn moving_selection_stays_in_range_and_follows_logs() {
    let mut a = app();
    listed(&mut a, &["web", "db", "cache"]);
    let fx = a.update(key('j'));
    assert_eq!(a.containers.selected, 1);
    assert_eq!(follows(&fx), Some(Some("db".into())));
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Down,
        KeyModifiers::NONE,
    )));
    a.update(key('j'));
    a.update(key('j'));
    assert_eq!(a.containers.selected, 2, "stops at the last row");
    a.update(key('k'));
    assert_eq!(a.containers.selected, 1);
    a.update(key('g'));
    assert_eq!(a.containers.selected, 0);
    a.update(key('G'));
    assert_eq!(a.containers.selected, 2);
}

#[test]
fn stale_log_lines_are_dropped() {
    let mut a = app();
    listed(&mut a, &["web", "db"]);
    let old = a.logs.generation;
    a.update(key('j'));
    let line = LogLine {
        stream: Stream::Stdout,
        time: String::new(),
        text: "from web\n".into(),
    };
    a.update(Action::LogLines {
        generation: old,
        lines: vec![line.clone()],
    });
    assert!(a.logs.lines.is_empty(), "a line of the previous container");
    a.update(Action::LogLines {
        generation: a.logs.generation,
        lines: vec![line],
    });
    assert_eq!(a.logs.lines.len(), 1);
}

#[test]
fn quit_during_an_engine_call_asks_again() {
    let mut a = app();
    listed(&mut a, &["web"]);
    a.update(key('s'));
    assert!(a.update(key('q')).is_empty(), "the first q only warns");
    let msg = a.status.clone().expect("message");
    assert_eq!(
        msg.text,
        "still stopping 'web': press q, ctrl-c again to leave anyway (the call is abandoned)"
    );
    assert_eq!(a.update(key('q')), vec![Effect::Quit]);
    // Another key in between disarms it; no call running means q leaves at once.
    let mut a = app();
    listed(&mut a, &["web"]);
    a.update(key('s'));
    a.update(key('q'));
    a.update(key('j'));
    assert!(a.update(key('q')).is_empty());
    a.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    assert_eq!(a.update(key('q')), vec![Effect::Quit]);
}

#[test]
fn copy_sends_the_command_log() {
    let mut a = app();
    listed(&mut a, &["web"]);
    assert!(a.update(key('y')).is_empty(), "empty log: nothing to copy");
    a.update(key('s'));
    match a.update(key('y')).as_slice() {
        [Effect::CopyCommandLog { text, file }] => {
            assert_eq!(text, "berth stop web\n");
            assert!(file.ends_with("berth/command-log.txt"));
        }
        other => panic!("{other:?}"),
    }
    a.update(Action::CommandLogSaved(Ok("/tmp/x/command-log.txt".into())));
    assert!(
        a.status
            .as_ref()
            .is_some_and(|m| m.text.contains("/tmp/x/command-log.txt"))
    );
}

#[test]
fn keys_remapped_in_config_take_over() {
    let mut user = BTreeMap::new();
    user.insert("stop_container".to_string(), vec!["x".to_string()]);
    user.insert("quit".to_string(), vec!["Q".to_string()]);
    let keymap = Keymap::from_config(&user).expect("keymap");
    let mut a = App::new(keymap, AppSettings::default(), Utc::now());
    listed(&mut a, &["web"]);
    assert!(a.update(key('s')).is_empty(), "the default key is gone");
    assert_eq!(
        a.update(key('x')),
        vec![Effect::Engine(EngineOp::Stop("web".into()))]
    );
    a.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    assert!(a.update(key('q')).is_empty());
    assert_eq!(a.update(key('Q')), vec![Effect::Quit]);
    // Ctrl-C quits whatever the keymap says.
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(a.update(Action::Key(ctrl_c)), vec![Effect::Quit]);
}

#[test]
fn tab_and_enter_move_focus_and_logs_scroll() {
    let mut a = app();
    listed(&mut a, &["web", "db"]);
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert_eq!(a.focus, Pane::Logs);
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth logs -f --tail 500 web")
    );
    let lines: Vec<LogLine> = (0..10)
        .map(|i| LogLine {
            stream: Stream::Stdout,
            time: String::new(),
            text: format!("line {i}\n"),
        })
        .collect();
    a.update(Action::LogLines {
        generation: a.logs.generation,
        lines,
    });
    // With the logs focused, k scrolls the log and leaves the selection alone.
    a.update(key('k'));
    assert!(!a.logs.follow);
    assert_eq!(a.containers.selected, 0);
    a.update(key('G'));
    assert!(a.logs.follow);
    // Tab goes on through Stats, Top, Images, Networks and Volumes back to the list.
    let tab = || Action::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    for want in [
        Pane::Stats,
        Pane::Top,
        Pane::Images,
        Pane::Networks,
        Pane::Volumes,
        Pane::Containers,
    ] {
        a.update(tab());
        assert_eq!(a.focus, want);
    }
    assert_eq!(
        a.detail,
        Pane::Top,
        "the last detail pane stays under the list"
    );
}

#[test]
fn help_opens_and_closes() {
    let mut a = app();
    a.update(key('?'));
    assert_eq!(a.popup, Some(Popup::Help));
    assert!(
        a.update(key('q')).is_empty(),
        "q closes the help, not the app"
    );
    assert_eq!(a.popup, None);
    a.update(Action::User(UserAction::Help));
    a.update(key('?'));
    assert_eq!(a.popup, None);
}

#[test]
fn listing_errors_show_and_ended_logs_resume_when_running_again() {
    let mut a = app();
    a.update(Action::ContainersListed(Err("permission denied".into())));
    let msg = a.status.clone().expect("message");
    assert_eq!(msg.text, "cannot list containers: permission denied");
    listed(&mut a, &["web"]);
    let g = a.logs.generation;
    a.update(Action::LogEnded {
        generation: g,
        error: None,
    });
    assert!(a.logs.ended);
    // Still running in the next list (e.g. restarted): follow again, as a new generation.
    let fx = listed(&mut a, &["web"]);
    assert_eq!(follows(&fx), Some(Some("web".into())));
    assert!(a.logs.generation > g);
    assert!(!a.logs.ended);
    // A stopped container's ended log stays ended.
    a.update(Action::LogEnded {
        generation: a.logs.generation,
        error: None,
    });
    let stopped = vec![container(1, "web", Status::Exited)];
    assert!(a.update(Action::ContainersListed(Ok(stopped))).is_empty());
}
