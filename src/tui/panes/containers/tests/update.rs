//! `App::update` for the Containers pane: the selection kept across new lists, the
//! engine calls on the selected container (asked first for a remove, one at a time per
//! container) and what the command log and status bar say of them.

use crate::engine::{Container, Status};
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::Popup;
use crate::tui::update_tests::{app, container, follows, key, listed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn selection_survives_reordering_and_removal() {
    let mut a = app();
    listed(&mut a, &["web", "db", "cache"]);
    a.update(key('G'));
    assert_eq!(a.selected_container().map(|c| c.name()), Some("cache"));
    // A new container appears on top: the same container stays selected.
    let mut list: Vec<Container> = ["new", "web", "db", "cache"]
        .iter()
        .enumerate()
        .map(|(i, n)| container(if *n == "new" { 9 } else { i as u8 }, n, Status::Running))
        .collect();
    list[3] = a.containers.list[2].clone();
    a.update(Action::ContainersListed(Ok(list)));
    assert_eq!(a.selected_container().map(|c| c.name()), Some("cache"));
    assert_eq!(a.containers.selected, 3);
    // The selected container disappears: the index stays in range.
    let fx = listed(&mut a, &["web"]);
    assert_eq!(a.containers.selected, 0);
    assert_eq!(follows(&fx), Some(Some("web".into())));
    // Everything disappears: nothing selected, the follower stops.
    let fx = listed(&mut a, &[]);
    assert_eq!(a.containers.selected, 0);
    assert!(a.selected_container().is_none());
    assert_eq!(follows(&fx), Some(None));
    assert!(a.update(key('s')).is_empty(), "nothing to stop");
    assert!(
        a.status
            .as_ref()
            .is_some_and(|m| m.text.contains("no container"))
    );
}

#[test]
fn remove_asks_first_then_emits_rm_force() {
    let mut a = app();
    listed(&mut a, &["web", "db"]);
    a.update(key('j'));
    assert!(
        a.update(key('d')).is_empty(),
        "nothing happens before the answer"
    );
    assert_eq!(a.popup, Some(Popup::ConfirmRemove("db".into())));
    // Keys of the panes do nothing while the dialog is open.
    assert!(a.update(key('s')).is_empty());
    assert!(a.update(key('j')).is_empty());
    assert_eq!(a.containers.selected, 1);
    let fx = a.update(key('y'));
    assert_eq!(
        fx,
        vec![Effect::Engine(EngineOp::Remove {
            name: "db".into(),
            force: true,
            volumes: false
        })]
    );
    assert_eq!(a.popup, None);
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth rm -f db")
    );
}

#[test]
fn remove_can_be_declined_with_n_or_esc() {
    let mut a = app();
    listed(&mut a, &["web"]);
    a.update(key('d'));
    assert!(a.update(key('n')).is_empty());
    assert_eq!(a.popup, None);
    a.update(key('d'));
    assert!(
        a.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)))
            .is_empty()
    );
    assert_eq!(a.popup, None);
    assert!(a.command_log.is_empty());
}

#[test]
fn a_second_action_waits_for_the_first_on_the_same_container() {
    let mut a = app();
    listed(&mut a, &["web"]);
    assert_eq!(
        a.update(key('s')),
        vec![Effect::Engine(EngineOp::Stop("web".into()))]
    );
    assert!(
        a.status
            .as_ref()
            .is_some_and(|m| m.text == "stopping 'web'…")
    );
    // A stop can take its whole grace period; a second key meanwhile does nothing.
    assert!(a.update(key('r')).is_empty());
    let msg = a.status.clone().expect("message");
    assert_eq!(msg.level, crate::tui::app::Level::Error);
    assert_eq!(msg.text, "'web' is still stopping: wait for it to finish");
    assert_eq!(
        a.command_log,
        ["berth stop web"],
        "only what was done is echoed"
    );
    a.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    assert!(a.status.as_ref().is_some_and(|m| m.text == "stopped 'web'"));
    assert_eq!(
        a.update(key('r')),
        vec![Effect::Engine(EngineOp::Restart("web".into()))]
    );
}

#[test]
fn actions_echo_cli_lines_and_errors_reach_the_status_bar() {
    let mut a = app();
    listed(&mut a, &["web"]);
    let ops = [
        ('s', EngineOp::Stop("web".into())),
        ('S', EngineOp::Start("web".into())),
        ('r', EngineOp::Restart("web".into())),
    ];
    for (k, op) in ops {
        assert_eq!(a.update(key(k)), vec![Effect::Engine(op.clone())]);
        assert_eq!(a.pending.get("web"), Some(&op), "the row shows the call");
        a.update(Action::OpFinished { op, result: Ok(()) });
        assert!(a.pending.is_empty());
    }
    assert_eq!(
        a.command_log,
        ["berth stop web", "berth start web", "berth restart web"]
    );
    a.update(key('s'));
    let fx = a.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Err("stop of 'web' is not implemented yet".into()),
    });
    assert_eq!(fx, vec![Effect::RefreshContainers]);
    let msg = a.status.clone().expect("message");
    assert_eq!(msg.level, crate::tui::app::Level::Error);
    assert!(
        msg.text.starts_with("berth stop web: stop of 'web'"),
        "{}",
        msg.text
    );
}
