//! Reading a container's json-file log: tail, since, follow across rotations.

mod files;
mod follow;

use files::{log_files, scan_lines, scan_reader};

use crate::engine::Engine;
use crate::engine::container::record::log_path;
use crate::engine::error::{IoContext, Result};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// One line of a container's output.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Its stream.
    pub stream: Stream,
    /// When the shim read it, as recorded (RFC 3339 with nanoseconds).
    pub time: String,
    /// The text, with its trailing newline if it had one.
    pub text: String,
}

impl LogLine {
    /// The time as a date, if it parses.
    pub fn timestamp(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.time)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// One line of a container's output, borrowed for the duration of one sink call (reading
/// without an allocation per line; `to_line` keeps it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    /// Its stream.
    pub stream: Stream,
    /// When the shim read it (RFC 3339 with nanoseconds).
    pub time: &'a str,
    /// The text, with its trailing newline if it had one.
    pub text: &'a str,
}

impl LineRef<'_> {
    /// An owned copy.
    pub fn to_line(self) -> LogLine {
        LogLine {
            stream: self.stream,
            time: self.time.to_string(),
            text: self.text.to_string(),
        }
    }

    /// The time as a date, if it parses.
    pub fn timestamp(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(self.time)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

impl LogLine {
    /// A borrowed view.
    pub fn as_ref(&self) -> LineRef<'_> {
        LineRef {
            stream: self.stream,
            time: &self.time,
            text: &self.text,
        }
    }
}

/// Reads one json-file line: the fast reader for the writer's own shape, serde_json for
/// anything else (kept in `owned`).
pub(super) fn read_line<'a>(
    line: &'a [u8],
    scratch: &'a mut String,
    owned: &'a mut Option<LogLine>,
) -> Option<LineRef<'a>> {
    if let Some(f) = super::jsonfile::parse(line, scratch) {
        return Some(LineRef {
            stream: f.stream,
            time: f.time,
            text: f.text,
        });
    }
    *owned = parse_line(line);
    owned.as_ref().map(LogLine::as_ref)
}

/// What part of the log to read.
#[derive(Debug, Clone, Default)]
pub struct LogOptions {
    /// Only the last N lines (before following).
    pub tail: Option<usize>,
    /// Only lines at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Keep reading new lines until the container stops, the sink says stop, or `cancel`
    /// is set.
    pub follow: bool,
    /// Set it (from any thread) to end the read: a follower notices within one poll
    /// (about 50 ms) even when no new line comes.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl LogOptions {
    /// Whether `cancel` has been set.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

#[derive(Deserialize)]
struct RawLine<'a> {
    #[serde(borrow)]
    log: Cow<'a, str>,
    #[serde(borrow)]
    stream: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
}

/// Parses one json-file line.
pub fn parse_line(line: &[u8]) -> Option<LogLine> {
    let raw: RawLine = serde_json::from_slice(line).ok()?;
    Some(LogLine {
        stream: if raw.stream == "stderr" {
            Stream::Stderr
        } else {
            Stream::Stdout
        },
        time: raw.time.into_owned(),
        text: raw.log.into_owned(),
    })
}

impl Engine {
    /// Reads a container's log, calling `sink` per line until it returns false.
    /// With `follow`, waits for new lines while the container runs.
    pub fn logs(
        &self,
        name_or_id: &str,
        opts: &LogOptions,
        sink: &mut dyn FnMut(LogLine) -> bool,
    ) -> Result<()> {
        self.log_lines(name_or_id, opts, &mut |l| sink(l.to_line()))
    }

    /// `logs` with borrowed lines: nothing is allocated per line (for `berth logs`).
    /// Rotated files (gzipped or not) are read first, oldest first, then the live one.
    pub fn log_lines(
        &self,
        name_or_id: &str,
        opts: &LogOptions,
        sink: &mut dyn FnMut(LineRef<'_>) -> bool,
    ) -> Result<()> {
        let c = self.container(name_or_id)?;
        let live = log_path(self.paths(), c.id());
        let keep = |l: &LineRef<'_>| {
            opts.since
                .is_none_or(|s| l.timestamp().is_some_and(|t| t >= s))
        };

        // Past lines: with --tail only the last N are kept in memory.
        let mut tail_buf = std::collections::VecDeque::new();
        let mut live_file: Option<(File, u64)> = None;
        let mut scratch = String::new();
        let mut owned = None;
        let mut stopped = false;
        let mut on_line = |buf: &[u8]| -> bool {
            if opts.cancelled() {
                stopped = true;
                return false;
            }
            let Some(line) = read_line(buf, &mut scratch, &mut owned) else {
                return true;
            };
            if !keep(&line) {
                return true;
            }
            match opts.tail {
                Some(0) => {}
                Some(t) => {
                    if tail_buf.len() == t {
                        tail_buf.pop_front();
                    }
                    tail_buf.push_back(line.to_line());
                }
                None => {
                    if !sink(line) {
                        stopped = true;
                        return false;
                    }
                }
            }
            true
        };
        for f in log_files(&live) {
            if f.path != live {
                if scan_reader(f, &mut on_line)? {
                    return Ok(());
                }
                continue;
            }
            let follower = f.file.try_clone().at(&f.path)?;
            let mut reader = BufReader::with_capacity(256 * 1024, f.file);
            let (read, stop) = scan_lines(&mut reader, &f.path, &mut on_line)?;
            if stop {
                return Ok(());
            }
            live_file = Some((follower, read));
        }
        if stopped {
            return Ok(());
        }
        for line in &tail_buf {
            if !sink(line.as_ref()) {
                return Ok(());
            }
        }
        if opts.follow && !opts.cancelled() {
            self.follow_log(c.id(), &live, live_file, opts, sink)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parses_docker_json_file_lines() {
        let l = parse_line(br#"{"log":"hello \u001b[31mred\n","stream":"stderr","time":"2026-11-27T10:00:00.123456789Z"}"#)
            .expect("parse");
        assert_eq!(l.stream, Stream::Stderr);
        assert_eq!(l.text, "hello \x1b[31mred\n");
        assert!(l.timestamp().is_some());
        assert!(parse_line(b"not json").is_none());
    }

    /// A container record that reads as running: its "shim" is this test process, so
    /// the follower keeps waiting for lines that never come.
    fn running_container(engine: &Engine) -> String {
        use crate::engine::container::record::files;
        use crate::engine::container::{ContainerConfig, ContainerState, Status};
        use crate::engine::store::write_json;
        let id = "ab".repeat(32);
        let dir = engine.paths().container(&id);
        std::fs::create_dir_all(&dir).expect("container dir");
        let config = ContainerConfig {
            id: crate::engine::ContainerId::from_trusted(id.clone()),
            name: "quiet".into(),
            created: Utc::now(),
            image: "busybox:latest".into(),
            cmd: vec!["sleep".into(), "1000".into()],
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
        };
        let me = std::process::id() as i32;
        let state = ContainerState {
            status: Status::Running,
            pid: me,
            shim_pid: me,
            shim_start: crate::engine::procfs::start_time(me).expect("own start time"),
            ..Default::default()
        };
        write_json(&dir.join(files::CONFIG), &config).expect("config");
        write_json(&dir.join(files::STATE), &state).expect("state");
        std::fs::write(
            log_path(engine.paths(), &id),
            "{\"log\":\"only line\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-27T10:00:00Z\"}\n",
        )
        .expect("log");
        id
    }

    #[test]
    fn cancel_ends_a_follower_of_a_silent_running_container() {
        let root = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(root.path(), Default::default()).expect("engine");
        running_container(&engine);
        let cancel = Arc::new(AtomicBool::new(false));
        let opts = LogOptions {
            follow: true,
            cancel: Some(cancel.clone()),
            ..Default::default()
        };
        let setter = {
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                cancel.store(true, Ordering::Relaxed);
            })
        };
        let started = std::time::Instant::now();
        let mut seen = Vec::new();
        engine
            .logs("quiet", &opts, &mut |l| {
                seen.push(l.text);
                true
            })
            .expect("logs");
        let took = started.elapsed();
        setter.join().expect("setter");
        assert_eq!(seen, ["only line\n"]);
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_secs(2),
            "the follower should wait for lines, then end soon after cancel (took {took:?})"
        );
    }

    #[test]
    fn cancel_set_before_the_read_returns_nothing() {
        let root = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(root.path(), Default::default()).expect("engine");
        running_container(&engine);
        let opts = LogOptions {
            follow: true,
            cancel: Some(Arc::new(AtomicBool::new(true))),
            ..Default::default()
        };
        let mut n = 0;
        engine
            .logs("quiet", &opts, &mut |_| {
                n += 1;
                true
            })
            .expect("logs");
        assert_eq!(n, 0);
    }
}
