//! Following a container's live log while it runs, across rotations.

use super::files::{first_line, log_files, scan_reader};
use super::{LineRef, LogOptions, read_line};
use crate::engine::Engine;
use crate::engine::error::{IoContext, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

impl Engine {
    /// Follows the live file from `start` (its open handle and the bytes already read).
    /// When the writer rotates, what is left in the old file is read before the new one.
    pub(super) fn follow_log(
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
