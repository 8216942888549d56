//! Saving a real container's whole log from the Logs pane (beyond the pane's bounded
//! buffer), filtered and timed, through the engine. Runs as root (a container is started).

#[path = "common/container_harness.rs"]
mod harness;

use harness::Berth;
use std::time::Duration;

#[test]
fn saving_writes_a_real_containers_whole_log() {
    let b = Berth::new();
    b.run_detached(&[
        "--name",
        "talk",
        "busybox",
        "sh",
        "-c",
        "i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done; echo Error-end",
    ]);
    let ctx = berth::bootstrap::open(Some(b.root()), Some(b.scratch("cfg").join("none.yaml")))
        .expect("engine");
    b.wait_until("the log to be written", Duration::from_secs(10), || {
        b.run(&["logs", "talk"]).stdout.contains("Error-end")
    });
    let dir = b.scratch("saved");
    let file = dir.join("talk.log");
    let names = vec!["talk".to_string()];
    let (path, n) =
        berth::tui::panes::logs::save::save(&ctx.engine, &names, &file, false, None).expect("save");
    assert_eq!(path, file);
    assert_eq!(n, 3001, "the whole log, beyond the pane's buffer");
    let text = std::fs::read_to_string(&file).expect("saved file");
    assert!(text.starts_with("line-0\nline-1\n") && text.ends_with("line-2999\nError-end\n"));
    // Filtered (smart case) and timed.
    let (_, n) =
        berth::tui::panes::logs::save::save(&ctx.engine, &names, &file, true, Some("line-29"))
            .expect("save filtered");
    assert_eq!(n, 111, "line-29 and line-290..line-2999");
    let text = std::fs::read_to_string(&file).expect("saved file");
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.ends_with(" line-29") && first.contains('T'),
        "{first}"
    );
    // No temporary file is left, and an unknown container writes nothing.
    let names = vec!["nope".to_string()];
    let err =
        berth::tui::panes::logs::save::save(&ctx.engine, &names, &dir.join("x.log"), false, None)
            .expect_err("unknown container");
    assert!(err.contains("nope"), "{err}");
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["talk.log"]);
}
