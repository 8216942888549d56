//! Unit tests of the dashboard's run of a typed image: a missing image is pulled (one
//! transfer, its gauges), then the run starts again; a failed pull runs nothing.

use crate::engine::Progress;
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::{App, AppSettings, Pane, Popup, PromptKind};
use crate::tui::keymap::Keymap;
use crate::tui::panes::transfer::state::TransferKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

/// An app on the (empty) Images pane.
fn images_app() -> App {
    let mut app = App::new(
        Keymap::default(),
        AppSettings::default(),
        chrono::Utc::now(),
    );
    app.update(Action::ContainersListed(Ok(vec![])));
    app.update(key('i'));
    app.update(Action::ImagesListed(Ok(vec![])));
    assert_eq!(app.focus, Pane::Images);
    app
}

/// Types `text` in the `R` prompt and confirms; returns the effects.
fn run_typed(app: &mut App, text: &str) -> Vec<Effect> {
    app.update(key('R'));
    assert!(
        matches!(&app.popup, Some(Popup::Prompt(p)) if p.kind == PromptKind::RunByName),
        "{:?}",
        app.popup
    );
    for c in text.chars() {
        app.update(key(c));
    }
    app.update(enter())
}

fn run_op(image: &str, name: Option<&str>) -> EngineOp {
    EngineOp::RunImage {
        image: image.into(),
        name: name.map(str::to_string),
        network: "bridge".into(),
    }
}

#[test]
fn a_typed_image_and_name_become_a_run() {
    let mut app = images_app();
    let fx = run_typed(&mut app, "localhost:5000/app:1 web");
    assert_eq!(
        fx,
        vec![Effect::Engine(run_op("localhost:5000/app:1", Some("web")))]
    );
    assert!(app.popup.is_none());
    let mut app = images_app();
    let fx = run_typed(&mut app, "   ");
    assert!(fx.is_empty());
    assert!(app.popup.is_some(), "the prompt stays open");
}

#[test]
fn a_missing_image_is_pulled_with_the_gauges_then_run() {
    let mut app = images_app();
    let op = run_op("busybox", None);
    run_typed(&mut app, "busybox");
    let fx = app.update(Action::RunNeedsPull(op.clone()));
    assert!(
        matches!(&fx[..], [Effect::Transfer { kind: TransferKind::Pull, reference, .. }] if reference == "busybox"),
        "{fx:?}"
    );
    assert!(
        app.pending.is_empty(),
        "the run waits for the pull, not as an engine call"
    );
    app.update(Action::TransferProgress(Progress::Waiting {
        id: "abc".into(),
        total: 10,
    }));
    assert_eq!(
        app.transfer.as_ref().map(|t| t.layers.len()),
        Some(1),
        "a gauge row"
    );
    let fx = app.update(Action::TransferFinished {
        kind: TransferKind::Pull,
        reference: "busybox".into(),
        result: Ok("pulled 'busybox:latest' (sha256:1)".into()),
    });
    assert!(
        fx.contains(&Effect::Engine(op.clone())),
        "the run again: {fx:?}"
    );
    assert!(app.transfer.is_none());
    let log = app.command_log.join("\n");
    assert!(
        log.contains("Unable to find image 'busybox' locally"),
        "{log}"
    );
    assert!(log.contains("berth pull busybox"), "{log}");

    // Still missing after the pull: an error, not a second pull.
    let fx = app.update(Action::RunNeedsPull(op.clone()));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.transfer.is_none());
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("no such image"), "{status}");
    assert!(app.images.run_after_pull.is_none());
}

#[test]
fn a_failed_pull_runs_nothing() {
    let mut app = images_app();
    let op = run_op("nothere", Some("x"));
    run_typed(&mut app, "nothere x");
    app.update(Action::RunNeedsPull(op));
    let fx = app.update(Action::TransferFinished {
        kind: TransferKind::Pull,
        reference: "nothere".into(),
        result: Err("manifest for 'nothere:latest' not found".into()),
    });
    assert!(!fx.iter().any(|e| matches!(e, Effect::Engine(_))), "{fx:?}");
    assert!(app.images.run_after_pull.is_none());
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("not found"), "{status}");
}

#[test]
fn a_run_waits_for_no_other_pull() {
    let mut app = images_app();
    app.update(key('p'));
    for c in "other".chars() {
        app.update(key(c));
    }
    app.update(enter());
    assert!(app.transfer.is_some());
    let fx = app.update(Action::RunNeedsPull(run_op("busybox", None)));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.images.run_after_pull.is_none());
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("still pulling 'other'"), "{status}");
}
