//! The files of a container's log: the rotated ones (oldest first, gzipped or not) and
//! the live one, read line by line.

use crate::engine::error::{IoContext, Result};
use crate::engine::runtime::logwriter::rotated_name;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// An open file of a container's log: rotated ones may be gzipped.
pub(super) struct LogFile {
    pub(super) path: PathBuf,
    pub(super) file: File,
    pub(super) gz: bool,
}

/// Opens `.N` (or `.N.gz` once compressed) of the log at `live`; `None` when neither is
/// there.
pub(super) fn open_rotated(live: &Path, n: u32) -> Option<LogFile> {
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
pub(super) fn log_files(live: &Path) -> Vec<LogFile> {
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
pub(super) fn first_line(file: &mut File, gz: bool) -> Option<Vec<u8>> {
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
pub(super) fn scan_reader(f: LogFile, line: &mut dyn FnMut(&[u8]) -> bool) -> Result<bool> {
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
pub(super) fn scan_lines(
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
