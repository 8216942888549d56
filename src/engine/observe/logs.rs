//! Reading a container's json-file log: tail, since, follow across rotations.

use crate::engine::Engine;
use crate::engine::container::record::log_path;
use crate::engine::error::{IoContext, Result};
use crate::engine::runtime::logwriter::rotated_name;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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
fn read_line<'a>(
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

/// An open file of a container's log: rotated ones may be gzipped.
struct LogFile {
    path: PathBuf,
    file: File,
    gz: bool,
}

/// Opens `.N` (or `.N.gz` once compressed) of the log at `live`; `None` when neither is
/// there.
fn open_rotated(live: &Path, n: u32) -> Option<LogFile> {
    // While `.N` is being compressed both exist: `.N` is whole, `.N.gz` maybe not yet.
    for gz in [false, true] {
        let path = rotated_name(live, n, gz);
        if let Ok(file) = File::open(&path) {
            return Some(LogFile { path, file, gz });
        }
    }
    None
}

/// The log files of a container, opened, oldest first (`.log.2[.gz]`, `.log.1[.gz]`,
/// `.log`). They are opened newest first and a file seen twice is kept once, so a
/// rotation while they are being opened loses no file: each moves to the next name.
fn log_files(live: &Path) -> Vec<LogFile> {
    let mut files: Vec<LogFile> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Ok(file) = File::open(live) {
        if let Ok(m) = file.metadata() {
            seen.insert(m.ino());
        }
        files.push(LogFile {
            path: live.to_path_buf(),
            file,
            gz: false,
        });
    }
    // While the writer shifts the rotated files up one name, one name at a time is
    // missing: only two missing in a row end the list.
    let mut missing = 0;
    for n in 1.. {
        let Some(f) = open_rotated(live, n) else {
            missing += 1;
            if missing == 2 {
                break;
            }
            continue;
        };
        missing = 0;
        if f.file.metadata().is_ok_and(|m| seen.insert(m.ino())) {
            files.push(f);
        }
    }
    files.reverse();
    files
}

/// The first line of a log file (read from its start), to recognise it after a rotation.
fn first_line(file: &mut File, gz: bool) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut line = Vec::new();
    let n = if gz {
        BufReader::new(flate2::read::GzDecoder::new(&*file)).read_until(b'\n', &mut line)
    } else {
        BufReader::new(&*file).read_until(b'\n', &mut line)
    };
    n.ok().filter(|&n| n > 0).map(|_| line)
}

/// Reads every complete line of a whole rotated file (gunzipping it if need be) into
/// `line`; true when `line` asked to stop.
fn scan_reader(f: LogFile, line: &mut dyn FnMut(&[u8]) -> bool) -> Result<bool> {
    let LogFile { path, mut file, gz } = f;
    file.seek(SeekFrom::Start(0)).at(&path)?;
    let stopped = if gz {
        let mut reader = BufReader::with_capacity(
            256 * 1024,
            flate2::read::GzDecoder::new(BufReader::with_capacity(64 * 1024, file)),
        );
        scan_lines(&mut reader, &path, line)?.1
    } else {
        scan_lines(&mut BufReader::with_capacity(256 * 1024, file), &path, line)?.1
    };
    Ok(stopped)
}

/// Calls `line` with every complete line of `reader` until it returns false; returns the
/// bytes of the complete lines read (a partial last line is left for a follower) and
/// whether `line` asked to stop.
fn scan_lines(
    reader: &mut dyn BufRead,
    path: &Path,
    line: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<(u64, bool)> {
    let mut buf = Vec::with_capacity(512);
    let mut consumed = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).at(path)?;
        if n == 0 || buf.last() != Some(&b'\n') {
            return Ok((consumed, false));
        }
        consumed += n as u64;
        if !line(&buf) {
            return Ok((consumed, true));
        }
    }
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

    /// Follows the live file from `start` (its open handle and the bytes already read).
    /// When the writer rotates, what is left in the old file is read before the new one.
    fn follow_log(
        &self,
        id: &str,
        live: &Path,
        start: Option<(File, u64)>,
        opts: &LogOptions,
        sink: &mut dyn FnMut(LineRef<'_>) -> bool,
    ) -> Result<()> {
        let (mut file, mut pos) = match start {
            Some((f, p)) => (Some(f), p),
            None => (None, 0),
        };
        let mut pending = Vec::new();
        let mut scratch = String::new();
        let mut owned = None;
        let mut buf = Vec::new();
        loop {
            if opts.cancelled() {
                return Ok(());
            }
            let running = self
                .container(id)
                .map(|c| c.state.status.has_shim())
                .unwrap_or(false);
            if file.is_none() {
                file = File::open(live).ok();
                pos = 0;
            }
            let mut grew = false;
            if let Some(f) = file.as_mut() {
                let len = f.metadata().at(live)?.len();
                if len < pos {
                    // Truncated in place (one file kept): start over.
                    pos = 0;
                    pending.clear();
                }
                if len > pos {
                    grew = true;
                    f.seek(SeekFrom::Start(pos)).at(live)?;
                    let mut reader = BufReader::new(&*f);
                    loop {
                        buf.clear();
                        let n = reader.read_until(b'\n', &mut buf).at(live)?;
                        if n == 0 {
                            break;
                        }
                        pos += n as u64;
                        pending.extend_from_slice(&buf);
                        if pending.last() == Some(&b'\n') {
                            if let Some(line) = read_line(&pending, &mut scratch, &mut owned)
                                && !sink(line)
                            {
                                return Ok(());
                            }
                            pending.clear();
                            if opts.cancelled() {
                                return Ok(());
                            }
                        }
                    }
                }
            }
            if grew {
                continue;
            }
            // Nothing new in our file: if the writer rotated it away, read the files it
            // rotated since (it may have rotated several times since we last looked),
            // then go on with the new live file.
            let ours = file
                .as_ref()
                .and_then(|f| f.metadata().ok())
                .map(|m| m.ino());
            let now = std::fs::metadata(live).ok().map(|m| m.ino());
            if now.is_some() && ours != now {
                let mark = file.as_mut().and_then(|f| first_line(f, false));
                file = None;
                pending.clear();
                let mut files = log_files(live);
                // (The live file can be missing for a moment: between the writer's
                // rename and its new file.)
                let live_now = files.pop_if(|f| f.path == live);
                let newer = match files
                    .iter_mut()
                    .position(|f| mark.is_some() && first_line(&mut f.file, f.gz) == mark)
                {
                    Some(i) => files.split_off(i + 1),
                    // Ours is gone (rotated past max-file): every file left is newer.
                    None => files,
                };
                for f in newer {
                    let mut on_line = |buf: &[u8]| {
                        !opts.cancelled()
                            && read_line(buf, &mut scratch, &mut owned).is_none_or(&mut *sink)
                    };
                    if scan_reader(f, &mut on_line)? {
                        return Ok(());
                    }
                }
                if let Some(l) = live_now {
                    file = Some(l.file);
                    pos = 0;
                }
                continue;
            }
            if !running {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            id: id.clone(),
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
