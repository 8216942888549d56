//! Unit tests of `App::update` for the Shell pane: opening, keys passed through, the leave
//! key, re-entering, resizes and the end of a session. No terminal, no engine.

use crate::engine::Status;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppSettings, Pane};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::panes::shell::state::ShellKind;
use crate::tui::update_tests::container;
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn app_with(status: Status) -> App {
    let mut a = App::new(Keymap::default(), AppSettings::default(), Utc::now());
    a.update(Action::Resize {
        width: 100,
        height: 40,
    });
    a.update(Action::ContainersListed(Ok(vec![container(
        1, "web", status,
    )])));
    a
}

fn press(a: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    a.update(Action::Key(KeyEvent::new(code, mods)))
}

fn opened(effects: &[Effect]) -> Option<(u64, (u16, u16))> {
    effects.iter().find_map(|e| match e {
        Effect::OpenShell { session, size, .. } => Some((*session, *size)),
        _ => None,
    })
}

#[test]
fn exec_shell_opens_a_session_sized_to_the_pane_and_logs_the_command() {
    let mut a = app_with(Status::Running);
    let effects = a.update(Action::User(UserAction::ExecShell));
    let (_, (rows, cols)) = opened(&effects).expect("open effect");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::OpenShell { container, kind: ShellKind::Exec, .. } if container == "web"))
    );
    // 60% of 100 columns less the border; the detail rows less the border.
    assert_eq!(cols, 58);
    assert!(rows > 10 && rows < 40, "{rows}");
    assert_eq!(a.focus, Pane::Shell);
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth exec -it web sh")
    );

    let mut b = app_with(Status::Running);
    b.update(Action::User(UserAction::AttachContainer));
    assert_eq!(
        b.command_log.last().map(String::as_str),
        Some("berth attach web")
    );
}

#[test]
fn a_stopped_container_gets_no_shell() {
    let mut a = app_with(Status::Exited);
    let effects = a.update(Action::User(UserAction::ExecShell));
    assert!(opened(&effects).is_none());
    assert_eq!(a.focus, Pane::Containers);
    let msg = a
        .status
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        msg.contains("not running") && msg.contains("start it"),
        "{msg}"
    );
}

#[test]
fn every_key_goes_to_the_shell_but_the_leave_key() {
    let mut a = app_with(Status::Running);
    let (id, _) = opened(&a.update(Action::User(UserAction::ExecShell))).expect("open");
    let input = |e: Vec<Effect>| -> Vec<u8> {
        e.iter()
            .filter_map(|e| match e {
                Effect::ShellInput { session, bytes } if *session == id => Some(bytes.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    };
    // q and ctrl-c, which quit the dashboard elsewhere, are the shell's here.
    assert_eq!(
        input(press(&mut a, KeyCode::Char('q'), KeyModifiers::NONE)),
        b"q"
    );
    let e = press(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!e.contains(&Effect::Quit));
    assert_eq!(input(e), [3]);
    assert_eq!(
        input(press(&mut a, KeyCode::Tab, KeyModifiers::NONE)),
        b"\t"
    );
    assert_eq!(
        input(press(&mut a, KeyCode::Up, KeyModifiers::NONE)),
        b"\x1b[A"
    );
    // In application cursor mode (vi, top), arrows are sent as such.
    let mut p = vt100::Parser::new(10, 40, 0);
    p.process(b"\x1b[?1h");
    a.update(Action::ShellScreen {
        session: id,
        screen: Arc::new(p.screen().clone()),
    });
    assert_eq!(
        input(press(&mut a, KeyCode::Up, KeyModifiers::NONE)),
        b"\x1bOA"
    );
    assert_eq!(a.focus, Pane::Shell);

    // ctrl-] (crossterm: ctrl-5) leaves; the session stays, and `e` goes back to it.
    let e = press(&mut a, KeyCode::Char('5'), KeyModifiers::CONTROL);
    assert!(input(e).is_empty());
    assert_eq!(a.focus, Pane::Containers);
    assert_eq!(a.visible_shell().map(|s| s.id), Some(id));
    let e = press(&mut a, KeyCode::Char('e'), KeyModifiers::NONE);
    assert!(opened(&e).is_none(), "no second session: {e:?}");
    assert_eq!(a.focus, Pane::Shell);
}

#[test]
fn the_pty_follows_the_terminal_size() {
    let mut a = app_with(Status::Running);
    let (id, (_, cols)) = opened(&a.update(Action::User(UserAction::ExecShell))).expect("open");
    let e = a.update(Action::Resize {
        width: 150,
        height: 50,
    });
    let size = e.iter().find_map(|e| match e {
        Effect::ShellResize { session, size } if *session == id => Some(*size),
        _ => None,
    });
    let (rows2, cols2) = size.expect("resize effect");
    assert_eq!(cols2, 88);
    assert!(cols2 > cols && rows2 > 10);
    // The same size again sends nothing.
    let e = a.update(Action::Resize {
        width: 150,
        height: 50,
    });
    assert!(!e.iter().any(|e| matches!(e, Effect::ShellResize { .. })));
}

#[test]
fn an_ended_session_shows_until_a_key_or_closes_when_unfocused() {
    let mut a = app_with(Status::Running);
    let (id, _) = opened(&a.update(Action::User(UserAction::ExecShell))).expect("open");
    let e = a.update(Action::ShellEnded {
        session: id,
        why: "exited with code 3".into(),
    });
    assert!(e.is_empty());
    assert_eq!(
        a.visible_shell().and_then(|s| s.ended.clone()).as_deref(),
        Some("exited with code 3")
    );
    let e = press(&mut a, KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(e, vec![Effect::CloseShell { session: id }]);
    assert!(a.visible_shell().is_none());
    assert_eq!(a.focus, Pane::Containers);

    let (id, _) = opened(&a.update(Action::User(UserAction::ExecShell))).expect("open again");
    press(&mut a, KeyCode::Char('5'), KeyModifiers::CONTROL);
    let e = a.update(Action::ShellEnded {
        session: id,
        why: "exited with code 0".into(),
    });
    assert!(e.contains(&Effect::CloseShell { session: id }));
    assert!(a.visible_shell().is_none());
}
