//! Staying attached to a container: copy its output frames to our stdout/stderr, our stdin
//! to it (with `-i`), forward SIGINT/SIGTERM, and return its exit code.

use crate::cli::Ctx;
use crate::engine::runtime::protocol::{FrameKind, read_frame, write_frame};
use anyhow::Result;
use nix::sys::signal::{SigSet, Signal};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

/// What to connect besides output.
pub struct AttachOptions {
    /// Send our stdin to the container.
    pub stdin: bool,
}

/// Forwards SIGINT and SIGTERM received by the CLI to the container (Docker's sig-proxy).
fn proxy_signals(ctx: &Ctx, id: &str) {
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    if set.thread_block().is_err() {
        return;
    }
    let engine = ctx.engine.clone();
    let id = id.to_string();
    std::thread::spawn(move || {
        while let Ok(sig) = set.wait() {
            let _ = engine.kill_container(&id, sig.as_str());
        }
    });
}

/// Copies frames until the exit frame; returns the container's exit code.
pub fn attach_stream(ctx: &Ctx, id: &str, stream: UnixStream, opts: AttachOptions) -> Result<i32> {
    proxy_signals(ctx, id);
    if opts.stdin {
        let mut writer = stream.try_clone()?;
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 32 * 1024];
            let mut input = std::io::stdin().lock();
            loop {
                match input.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = write_frame(&mut writer, FrameKind::CloseStdin, &[]);
                        break;
                    }
                    Ok(n) => {
                        if write_frame(&mut writer, FrameKind::Stdin, &buf[..n]).is_err() {
                            break;
                        }
                    }
                }
            }
        });
    }
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, stream);
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    loop {
        match read_frame(&mut reader)? {
            Some((FrameKind::Stdout, data)) => {
                out.write_all(&data)?;
                out.flush()?;
            }
            Some((FrameKind::Stderr, data)) => {
                let mut err = stderr.lock();
                err.write_all(&data)?;
                err.flush()?;
            }
            Some((FrameKind::Exit, code)) if code.len() == 4 => {
                return Ok(i32::from_be_bytes([code[0], code[1], code[2], code[3]]));
            }
            Some(_) => {}
            None => {
                // The shim went away without an exit frame: take the recorded code.
                return Ok(ctx.engine.wait_container(id).unwrap_or(125));
            }
        }
    }
}
