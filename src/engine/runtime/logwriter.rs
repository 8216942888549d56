//! Writes a container's output in Docker's json-file format, rotating by size.
//!
//! One JSON object per line: `{"log":"text\n","stream":"stdout","time":"<RFC 3339 nanos>"}`.
//! Partial lines are held until their newline (or 16 KiB, as Docker splits long lines).

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
    max_size: u64,
    max_files: u32,
    pending: [Vec<u8>; 2],
}

impl LogWriter {
    /// Opens (appending to) the log at `path`.
    pub fn open(path: &Path, max_size: u64, max_files: u32) -> io::Result<LogWriter> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(LogWriter {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(64 * 1024, file),
            size,
            max_size: max_size.max(1024),
            max_files: max_files.max(1),
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
        if self.size + buf.len() as u64 > self.max_size && self.size > 0 {
            self.rotate()?;
        }
        self.out.write_all(&buf)?;
        self.size += buf.len() as u64;
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let name = |n: u32| PathBuf::from(format!("{}.{n}", self.path.display()));
        if self.max_files <= 1 {
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
        let _ = fs::remove_file(name(self.max_files - 1));
        for n in (1..self.max_files - 1).rev() {
            let _ = fs::rename(name(n), name(n + 1));
        }
        fs::rename(&self.path, name(1))?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.out = BufWriter::with_capacity(64 * 1024, file);
        self.size = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::observe::logs::{Stream, parse_line};

    #[test]
    fn lines_are_split_joined_and_rotated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c-json.log");
        let mut w = LogWriter::open(&p, 1024, 3).expect("open");
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
