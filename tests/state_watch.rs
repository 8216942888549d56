//! The engine's change watch (`Engine::watch_changes`), on which the dashboard lists its
//! containers again (root only): a container run, stopped and removed by another berth
//! process (the CLI) wakes it, each time with the change already readable; an idle running
//! container does not.

#[path = "common/container_harness.rs"]
mod harness;

use berth::engine::{ChangeWatch, Engine};
use harness::Berth;
use std::time::Duration;

/// Waits for a wake-up (a generous bound: nothing here asserts a speed).
fn woken(w: &mut ChangeWatch) -> bool {
    w.wait(Duration::from_secs(20)).expect("wait")
}

/// Lets the rest of a burst of changes pass, until the watch has been quiet for a while.
fn settle(w: &mut ChangeWatch) {
    for _ in 0..50 {
        if !w.wait(Duration::from_millis(300)).expect("wait") {
            return;
        }
    }
    panic!("the watch never became quiet");
}

/// The status of container `name` in the engine's listing, if it is listed.
fn listed_status(engine: &Engine, name: &str) -> Option<String> {
    engine
        .containers()
        .expect("list")
        .into_iter()
        .find(|c| c.name() == name)
        .map(|c| c.state.status.as_str().to_string())
}

#[test]
fn containers_run_stopped_and_removed_by_the_cli_wake_the_watch() {
    let b = Berth::new();
    let engine = Engine::open(&b.root(), Default::default()).expect("open the engine");
    let mut w = engine.watch_changes().expect("watch the state root");
    settle(&mut w);

    b.run_detached(&["--name", "watched", "busybox", "sleep", "1000"]);
    assert!(woken(&mut w), "a container run by the CLI wakes the watch");
    assert_eq!(
        listed_status(&engine, "watched").as_deref(),
        Some("running"),
        "after the wake-up the listing shows it"
    );

    settle(&mut w);
    assert!(
        !w.wait(Duration::from_secs(2)).expect("wait"),
        "an idle running container does not wake the watch"
    );

    b.ok(&["stop", "-t", "1", "watched"]);
    assert!(woken(&mut w), "a stop by the CLI wakes the watch");
    assert_eq!(listed_status(&engine, "watched").as_deref(), Some("exited"));

    settle(&mut w);
    b.ok(&["rm", "watched"]);
    assert!(woken(&mut w), "a removal by the CLI wakes the watch");
    assert_eq!(listed_status(&engine, "watched"), None);
}
