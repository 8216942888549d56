//! Writes a container's output in Docker's json-file format, rotating by size only when
//! asked (`--log-opt max-size`, config `logs.max_size`): by default every line is kept.
//!
//! One JSON object per line: `{"log":"text\n","stream":"stdout","time":"<RFC 3339 nanos>"}`.
//! Partial lines are held until their newline (or 16 KiB, as Docker splits long lines).
//! Rotated files are `<log>.1` (newest) to `<log>.<max-file - 1>`, gzipped to
//! `<log>.N.gz` with `compress`.

use crate::engine::container::Rotation;
use crate::engine::store::AtomicFile;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

const MAX_LINE: usize = 16 * 1024;

#[derive(Serialize)]
struct Entry<'a> {
    log: &'a str,
    stream: &'a str,
    time: &'a str,
}

/// The json-file writer of one container.
pub struct LogWriter {
    path: PathBuf,
    out: BufWriter<File>,
    size: u64,
    rotation: Rotation,
    /// How many rotated files there are (counted at the first rotation).
    rotated: Option<u32>,
    pending: [Vec<u8>; 2],
}

/// The name of rotated file `n` (1 is the newest) of the log at `live`.
pub fn rotated_name(live: &Path, n: u32, compressed: bool) -> PathBuf {
    let gz = if compressed { ".gz" } else { "" };
    PathBuf::from(format!("{}.{n}{gz}", live.display()))
}

impl LogWriter {
    /// Opens (appending to) the log at `path`, rotating it as `rotation` says.
    pub fn open(path: &Path, rotation: Rotation) -> io::Result<LogWriter> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(LogWriter {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(64 * 1024, file),
            size,
            rotation: Rotation {
                max_size: rotation.max_size.map(|m| m.max(1)),
                max_files: rotation.max_files.max(1),
                compress: rotation.compress,
            },
            rotated: None,
            pending: [Vec::new(), Vec::new()],
        })
    }

    /// Adds output of stream 0 (stdout) or 1 (stderr); whole lines are written out.
    pub fn write(&mut self, stream: usize, data: &[u8]) -> io::Result<()> {
        let mut rest = data;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let (line, tail) = rest.split_at(nl + 1);
            if self.pending[stream].is_empty() {
                self.emit(stream, line)?;
            } else {
                let mut whole = std::mem::take(&mut self.pending[stream]);
                whole.extend_from_slice(line);
                self.emit(stream, &whole)?;
            }
            rest = tail;
        }
        self.pending[stream].extend_from_slice(rest);
        while self.pending[stream].len() >= MAX_LINE {
            let chunk: Vec<u8> = self.pending[stream].drain(..MAX_LINE).collect();
            self.emit(stream, &chunk)?;
        }
        Ok(())
    }

    /// Writes out partial lines (at exit) and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        for s in 0..2 {
            if !self.pending[s].is_empty() {
                let rest = std::mem::take(&mut self.pending[s]);
                self.emit(s, &rest)?;
            }
        }
        self.flush()
    }

    /// Pushes buffered lines to the file so readers see them.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn emit(&mut self, stream: usize, line: &[u8]) -> io::Result<()> {
        let text = String::from_utf8_lossy(line);
        let time = Utc::now().to_rfc3339_opts(SecondsFormat::Nanos, true);
        let entry = Entry {
            log: &text,
            stream: if stream == 0 { "stdout" } else { "stderr" },
            time: &time,
        };
        let mut buf = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        buf.push(b'\n');
        if let Some(max) = self.rotation.max_size
            && self.size + buf.len() as u64 > max
            && self.size > 0
        {
            self.rotate()?;
        }
        self.out.write_all(&buf)?;
        self.size += buf.len() as u64;
        Ok(())
    }

    /// Docker's rotation: the oldest file goes, the others move up one, the live file
    /// becomes `.1` (gzipped to `.1.gz` with `compress`) and a new live file starts.
    fn rotate(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let max_files = self.rotation.max_files;
        let gz = self.rotation.compress;
        if max_files <= 1 {
            // Only one file: start it over.
            let file = OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(true)
                .open(&self.path)?;
            self.out = BufWriter::with_capacity(64 * 1024, file);
            self.size = 0;
            return Ok(());
        }
        let rotated = match self.rotated {
            Some(n) => n,
            None => (1..max_files)
                .take_while(|&n| rotated_name(&self.path, n, gz).exists())
                .count() as u32,
        };
        // Oldest first, so every file always has a name (one name is free at a time).
        let _ = fs::remove_file(rotated_name(&self.path, max_files - 1, gz));
        for n in (1..rotated.min(max_files - 2) + 1).rev() {
            let _ = fs::rename(
                rotated_name(&self.path, n, gz),
                rotated_name(&self.path, n + 1, gz),
            );
        }
        self.rotated = Some((rotated + 1).min(max_files - 1));
        let first = rotated_name(&self.path, 1, false);
        fs::rename(&self.path, &first)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.out = BufWriter::with_capacity(64 * 1024, file);
        self.size = 0;
        if gz {
            // Readers take `.1` while it is there and `.1.gz` once it is complete.
            compress(&first, &rotated_name(&self.path, 1, true))?;
        }
        Ok(())
    }
}

/// Gzips `from` into `to` (an `AtomicFile`: no half-written `.gz`, nor a temporary file
/// left when this fails) and removes `from`. Not fsync'd: a rotated log is not a record.
fn compress(from: &Path, to: &Path) -> io::Result<()> {
    let mut input = File::open(from)?;
    let out = AtomicFile::create(to).map_err(io::Error::other)?.volatile();
    let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    io::copy(&mut input, &mut enc)?;
    enc.finish()?.commit().map_err(io::Error::other)?;
    fs::remove_file(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::observe::logs::{Stream, parse_line};

    #[test]
    fn lines_are_split_joined_and_rotated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c-json.log");
        let rotation = Rotation {
            max_size: Some(1024),
            max_files: 3,
            compress: false,
        };
        let mut w = LogWriter::open(&p, rotation).expect("open");
        w.write(0, b"hel").expect("w");
        w.write(0, b"lo\nwor").expect("w");
        w.write(1, b"oops\n").expect("w");
        w.finish().expect("finish");
        let text = fs::read_to_string(&p).expect("read");
        let lines: Vec<_> = text
            .lines()
            .map(|l| parse_line(l.as_bytes()).expect("json"))
            .collect();
        assert_eq!(lines[0].text, "hello\n");
        assert_eq!(lines[1].stream, Stream::Stderr);
        assert_eq!(lines[2].text, "wor");

        for i in 0..200 {
            w.write(0, format!("line {i}\n").as_bytes()).expect("w");
        }
        w.finish().expect("finish");
        assert!(dir.path().join("c-json.log.1").exists());
        assert!(dir.path().join("c-json.log.2").exists());
        assert!(!dir.path().join("c-json.log.3").exists());
        assert!(fs::metadata(&p).expect("meta").len() <= 1024);
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn without_rotation_every_line_stays() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c-json.log");
        let mut w = LogWriter::open(&p, Rotation::default()).expect("open");
        for i in 0..20_000 {
            w.write(0, format!("line {i}\n").as_bytes()).expect("w");
        }
        w.finish().expect("finish");
        assert_eq!(
            fs::read_to_string(&p).expect("read").lines().count(),
            20_000
        );
        assert!(!dir.path().join("c-json.log.1").exists());
    }

    #[test]
    fn compressed_rotation_gzips_the_rotated_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c-json.log");
        let rotation = Rotation {
            max_size: Some(2048),
            max_files: 3,
            compress: true,
        };
        let mut w = LogWriter::open(&p, rotation).expect("open");
        for i in 0..500 {
            w.write(0, format!("line {i}\n").as_bytes()).expect("w");
        }
        w.finish().expect("finish");
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["c-json.log", "c-json.log.1.gz", "c-json.log.2.gz"]);
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(dir.path().join("c-json.log.1.gz")).expect("gz"))
            .read_to_string(&mut text)
            .expect("gunzip");
        assert!(
            text.lines().count() > 10 && text.contains("line "),
            "{text}"
        );
    }
}
