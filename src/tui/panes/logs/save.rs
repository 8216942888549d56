//! Saving a log from the Logs pane: the whole log read again from the engine (not the
//! pane's bounded buffer), merged by time when several containers are shown, filtered
//! and with times as the pane shows them. Runs on a blocking task; the pane does no I/O.

use crate::engine::AtomicFile;
use crate::engine::Engine;
use crate::engine::{LogLine, LogOptions};
use crate::tui::panes::logs::search::Pattern;
use crate::tui::panes::logs::state::LogEntry;
use std::io::Write;
use std::path::{Path, PathBuf};

fn write_line(
    out: &mut impl Write,
    name: Option<(&str, usize)>,
    timestamps: bool,
    l: &LogLine,
) -> std::io::Result<()> {
    if let Some((name, width)) = name {
        write!(out, "{name:<width$} | ")?;
    }
    if timestamps {
        write!(out, "{} ", l.time)?;
    }
    out.write_all(l.text.as_bytes())?;
    if !l.text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the log of `containers` to `file` (created with its directory; an `AtomicFile`,
/// so no half-written file is left); returns the line count.
/// One container's log streams to the file; several are read whole and sorted by time.
pub fn save(
    engine: &Engine,
    containers: &[String],
    file: &Path,
    timestamps: bool,
    filter: Option<&str>,
) -> Result<(PathBuf, usize), String> {
    let fail = |e: std::io::Error| format!("cannot save the log to '{}': {e}", file.display());
    let pattern = filter.and_then(Pattern::new);
    let keep = |l: &LogLine| {
        pattern
            .as_ref()
            .is_none_or(|p| p.matches(&LogEntry::from_log(l)))
    };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut out = AtomicFile::create(file).map_err(|e| format!("cannot save the log: {e}"))?;
    let mut count = 0usize;
    let mut failed: Option<std::io::Error> = None;
    let result = if let [name] = containers {
        let mut sink = |l: LogLine| {
            if !keep(&l) {
                return true;
            }
            count += 1;
            match write_line(&mut out, None, timestamps, &l) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            }
        };
        engine
            .logs(name, &LogOptions::default(), &mut sink)
            .map_err(|e| format!("cannot read the log of '{name}': {e}"))
    } else {
        let mut lines: Vec<(usize, LogLine)> = Vec::new();
        let mut read = Ok(());
        for (source, name) in containers.iter().enumerate() {
            let mut sink = |l: LogLine| {
                if keep(&l) {
                    lines.push((source, l));
                }
                true
            };
            read = engine
                .logs(name, &LogOptions::default(), &mut sink)
                .map_err(|e| format!("cannot read the log of '{name}': {e}"));
            if read.is_err() {
                break;
            }
        }
        // Stable: lines of one container at the same instant keep their order.
        lines.sort_by(|a, b| a.1.time.cmp(&b.1.time));
        let width = containers.iter().map(|c| c.len()).max().unwrap_or(0);
        for (source, l) in &lines {
            let name = (containers[*source].as_str(), width);
            if let Err(e) = write_line(&mut out, Some(name), timestamps, l) {
                failed = Some(e);
                break;
            }
        }
        count = lines.len();
        read
    };
    // Dropped without a commit on failure: the temporary file goes, the target stays.
    result?;
    if let Some(e) = failed {
        return Err(fail(e));
    }
    out.commit()
        .map_err(|e| format!("cannot save the log: {e}"))?;
    Ok((file.to_path_buf(), count))
}
