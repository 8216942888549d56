//! The dashboard's run of a typed image (`R` in the Images pane) against a real registry on
//! loopback: the engine call finds the image missing, the app pulls it through the transfer
//! task (its gauge gets a row per layer), then runs it; a failed pull runs nothing. Runs as
//! root (a container is started).

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use berth::engine::Engine;
use berth::tui::action::{Action, Effect, EngineOp};
use berth::tui::app::{App, AppSettings, Pane};
use berth::tui::keymap::Keymap;
use berth::tui::panes::transfer::task as transfer;
use berth::tui::runner;
use container_harness::Berth;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use registry_harness::Registry;

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// An app with the (empty) Images pane open.
fn images_app() -> App {
    // Containers stay off the host's network namespace (no `berth0` made there).
    let settings = AppSettings {
        default_network: "none".into(),
        ..AppSettings::default()
    };
    let mut app = App::new(Keymap::default(), settings, chrono::Utc::now());
    app.update(Action::ContainersListed(Ok(vec![])));
    app.update(key('i'));
    assert_eq!(app.focus, Pane::Images);
    app.update(Action::ImagesListed(Ok(vec![])));
    app
}

/// `R`, `text`, enter: the run the prompt asks the runner for.
fn run_typed(app: &mut App, text: &str) -> EngineOp {
    app.update(key('R'));
    for c in text.chars() {
        app.update(key(c));
    }
    let fx = app.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    match fx.as_slice() {
        [Effect::Engine(op)] => op.clone(),
        other => panic!("no engine call: {other:?}"),
    }
}

/// Performs the pull the app asked for through the dashboard's transfer task, feeding
/// every action to the app; returns the effects of the final one and the most gauge rows.
fn pull_through_task(
    app: &mut App,
    engine: &Engine,
    rt: &tokio::runtime::Runtime,
    fx: Vec<Effect>,
) -> (Vec<Effect>, usize) {
    let Some(Effect::Transfer {
        kind,
        reference,
        registries,
    }) = fx.into_iter().next()
    else {
        panic!("no pull asked for");
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    rt.block_on(async {
        let task = transfer::spawn(engine.clone(), registries, kind, reference, tx);
        let mut rows = 0;
        while let Some(a) = rx.recv().await {
            let end = matches!(a, Action::TransferFinished { .. });
            let fx = app.update(a);
            if let Some(t) = &app.transfer {
                rows = rows.max(t.layers.len());
            }
            if end {
                task.await.expect("task");
                return (fx, rows);
            }
        }
        panic!("the transfer task ended without a finish");
    })
}

#[test]
fn a_typed_missing_image_is_pulled_with_the_gauge_then_run() {
    // The engine starts the shim from BERTH_BIN (this test binary is not berth). The only
    // test of this binary, so no other thread reads the environment meanwhile.
    // SAFETY: the first thing the only test does, before it starts any thread.
    unsafe { std::env::set_var("BERTH_BIN", env!("CARGO_BIN_EXE_berth")) };
    let reg = Registry::plain();
    let image = format!("{}/dash/busybox:v1", reg.host);
    let publisher = Berth::new();
    publisher.ok(&["tag", "busybox:latest", &image]);
    publisher.ok(&["push", &image]);

    let b = Berth::empty();
    let engine = Engine::open(&b.root(), Default::default()).expect("engine");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut app = images_app();

    let op = run_typed(&mut app, &format!("{image} web"));
    let missing = runner::perform(&engine, op.clone());
    assert!(
        matches!(&missing, Action::RunNeedsPull(o) if *o == op),
        "{missing:?}"
    );
    assert!(engine.containers().expect("list").is_empty(), "nothing yet");
    let fx = app.update(missing);
    let (fx, rows) = pull_through_task(&mut app, &engine, &rt, fx);
    assert_eq!(rows, 1, "the gauge showed the image's layer");
    assert!(fx.contains(&Effect::Engine(op.clone())), "{fx:?}");
    let done = runner::perform(&engine, op.clone());
    assert!(
        matches!(&done, Action::OpFinished { result: Ok(()), .. }),
        "{done:?}"
    );
    app.update(done);
    assert!(app.images.run_after_pull.is_none());
    let cs = engine.containers().expect("list");
    assert_eq!(cs.len(), 1, "one container");
    assert_eq!(cs[0].config.name, "web");
    assert_eq!(cs[0].config.image, image);
    assert!(cs[0].state.started_at.is_some(), "it was started");
    assert!(
        engine
            .image(&image)
            .expect("pulled")
            .repo_tags
            .contains(&image)
    );
    let log = app.command_log.join("\n");
    assert!(
        log.contains(&format!("Unable to find image '{image}' locally")),
        "{log}"
    );

    // A name the registry does not have: the pull fails, nothing runs.
    let nothing = format!("{}/dash/nothing:v1", reg.host);
    let op = run_typed(&mut app, &nothing);
    let fx = app.update(runner::perform(&engine, op));
    let (fx, _) = pull_through_task(&mut app, &engine, &rt, fx);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Engine(_))), "{fx:?}");
    let status = app.status.as_ref().map(|s| s.text.clone());
    assert!(
        status.as_deref().is_some_and(|s| s.contains("not found")),
        "{status:?}"
    );
    assert_eq!(engine.containers().expect("list").len(), 1);
    assert!(engine.image(&nothing).is_err());
}
