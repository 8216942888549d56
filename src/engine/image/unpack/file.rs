//! A regular file's contents, and a GNU sparse file's as a sparse file: its holes (which
//! the tar crate reads back as zeros) are skipped, not written.

use super::invalid;
use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Granularity at which zeros of a sparse file are left as holes.
const BLOCK: usize = 64 * 1024;

/// Copies the entry's data into `file`; returns the bytes of the file. Read errors are the
/// layer's (or the download's), write errors the disk's: they are reported apart.
pub(super) fn copy_contents(input: &mut impl Read, file: &mut File, sparse: bool) -> Result<u64> {
    let mut buf = vec![0u8; BLOCK];
    let mut total: u64 = 0;
    let mut pending_hole = false;
    loop {
        let n = read_block(input, &mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        if sparse && chunk.iter().all(|b| *b == 0) {
            file.seek(SeekFrom::Current(n as i64))
                .map_err(write_error)?;
            pending_hole = true;
        } else {
            file.write_all(chunk).map_err(write_error)?;
            pending_hole = false;
        }
        total += n as u64;
    }
    if pending_hole {
        // A trailing hole: the size comes from set_len, no block is written.
        file.set_len(total).map_err(write_error)?;
    }
    Ok(total)
}

/// Fills `buf` as far as the input goes (a short read only at the end).
fn read_block(input: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(e)),
        }
    }
    Ok(filled)
}

fn read_error(e: io::Error) -> EngineError {
    // A disk-full error here comes from the blob being stored while it is read (a pull):
    // keep its errno so it is reported as such.
    match e.raw_os_error() {
        Some(code) if matches!(Errno::from_raw(code), Errno::ENOSPC | Errno::EDQUOT) => {
            EngineError::sys("store the layer", Errno::from_raw(code))
        }
        _ => invalid(e.to_string()),
    }
}

fn write_error(e: io::Error) -> EngineError {
    EngineError::sys(
        "write file",
        Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)),
    )
}
