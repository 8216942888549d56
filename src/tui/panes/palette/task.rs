//! The palette's background side: a berth command line runs as a child `berth` process
//! (the binary the dashboard is, on the same state root and config), its output captured,
//! so a command prints exactly what it prints in a terminal and the dashboard's screen is
//! never written to; and the history is saved.

use super::state::{CommandOutput, OUTPUT_LIMIT};
use crate::engine::Engine;
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{PaneTasks, Tx};
use std::path::Path;
use std::process::Stdio;

/// Runs palette commands and saves the history.
#[derive(Default)]
pub struct PaletteTasks;

impl PaneTasks for PaletteTasks {
    fn perform(&mut self, effect: Effect, _engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::RunCommand { argv, line } => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = run(&argv).await;
                    let _ = tx.send(Action::CommandFinished { line, result });
                });
            }
            Effect::SaveHistory { text, file } => {
                tokio::task::spawn_blocking(move || save(&text, &file));
            }
            other => return Some(other),
        }
        None
    }
}

/// Runs `berth ARGV` with no input and waits for it.
async fn run(argv: &[String]) -> Result<CommandOutput, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the berth binary: {e}"))?;
    let out = tokio::process::Command::new(exe)
        .args(argv)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // The dashboard leaving ends what it started.
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| format!("cannot run berth: {e}"))?;
    let text = |bytes: &[u8]| {
        let cut = &bytes[..bytes.len().min(OUTPUT_LIMIT)];
        String::from_utf8_lossy(cut).into_owned()
    };
    Ok(CommandOutput {
        code: out.status.code(),
        stdout: text(&out.stdout),
        stderr: text(&out.stderr),
    })
}

/// Saves the history (atomically), creating its directory; a failure only loses it.
fn save(text: &str, file: &Path) {
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = crate::engine::write_atomic(file, text.as_bytes());
}
