//! Staying attached to a container or an exec'd process: copy its output frames to our
//! stdout/stderr, our stdin to it (with `-i`, in raw mode with `-t`), the terminal's size,
//! forward SIGINT/SIGTERM, detach on the detach keys, and return its exit code.

use crate::cli::Ctx;
use crate::engine::{Frame, Session, SessionInput};
use anyhow::{Result, bail};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::termios::{self, SetArg, Termios};
use std::io::{IsTerminal, Read, Write};
use std::os::fd::RawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What to connect besides output.
pub struct AttachOptions {
    /// Send our stdin.
    pub stdin: bool,
    /// The process has a terminal: raw mode and resizes.
    pub tty: bool,
    /// The key sequence that detaches (default ctrl-p ctrl-q).
    pub detach_keys: Vec<u8>,
    /// Forward SIGINT/SIGTERM to the container (not for exec).
    pub sig_proxy: bool,
}

/// Parses Docker's `--detach-keys` (`ctrl-p,ctrl-q`, `ctrl-@`, single characters).
pub fn parse_detach_keys(s: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let p = part.trim();
        if let Some(k) = p.strip_prefix("ctrl-") {
            let c = match k.as_bytes() {
                [c] if c.is_ascii_alphabetic() => c.to_ascii_lowercase() - b'a' + 1,
                [b'@'] => 0,
                [b'['] => 27,
                [b'\\'] => 28,
                [b']'] => 29,
                [b'^'] => 30,
                [b'_'] => 31,
                _ => bail!("invalid detach keys '{s}': unknown key '{p}'"),
            };
            out.push(c);
        } else if p.len() == 1 {
            out.push(p.as_bytes()[0]);
        } else {
            bail!("invalid detach keys '{s}': use a comma-separated list such as ctrl-p,ctrl-q");
        }
    }
    Ok(out)
}

/// The default detach sequence, ctrl-p ctrl-q.
pub const DEFAULT_DETACH: [u8; 2] = [0x10, 0x11];

/// Puts the terminal on stdin into raw mode until dropped.
struct RawMode(Option<Termios>);

impl RawMode {
    fn enable(on: bool) -> RawMode {
        let stdin = std::io::stdin();
        if !on || !stdin.is_terminal() {
            return RawMode(None);
        }
        let Ok(saved) = termios::tcgetattr(&stdin) else {
            return RawMode(None);
        };
        let mut raw = saved.clone();
        termios::cfmakeraw(&mut raw);
        let _ = termios::tcsetattr(&stdin, SetArg::TCSANOW, &raw);
        RawMode(Some(saved))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            let _ = termios::tcsetattr(std::io::stdin(), SetArg::TCSANOW, saved);
        }
    }
}

/// The size (rows, columns) of the terminal on `fd`, if it is one.
fn size_of(fd: RawFd) -> Option<(u16, u16)> {
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes into the winsize struct we own.
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_row > 0).then_some((ws.ws_row, ws.ws_col))
}

fn send_size(writer: &SessionInput) {
    if let Some((rows, cols)) = size_of(1).or_else(|| size_of(0)) {
        let _ = writer.resize(rows, cols);
    }
}

/// Signals: SIGWINCH resizes; SIGINT/SIGTERM go to the container (sig-proxy).
fn handle_signals(ctx: &Ctx, id: &str, writer: SessionInput, opts: &AttachOptions) {
    let mut set = SigSet::empty();
    set.add(Signal::SIGWINCH);
    if opts.sig_proxy {
        set.add(Signal::SIGINT);
        set.add(Signal::SIGTERM);
    }
    if set.thread_block().is_err() {
        return;
    }
    let engine = ctx.engine.clone();
    let id = id.to_string();
    let tty = opts.tty;
    std::thread::spawn(move || {
        while let Ok(sig) = set.wait() {
            if sig == Signal::SIGWINCH {
                if tty {
                    send_size(&writer);
                }
            } else {
                let _ = engine.kill_container(&id, sig.as_str());
            }
        }
    });
}

/// Copies stdin to the process, watching for the detach keys.
fn pump_stdin(writer: SessionInput, keys: Vec<u8>, detached: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 32 * 1024];
        let mut held: Vec<u8> = Vec::new();
        let mut input = std::io::stdin().lock();
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = writer.close_stdin();
                    return;
                }
                Ok(n) => n,
            };
            let mut out = Vec::with_capacity(n);
            for &b in &buf[..n] {
                if !keys.is_empty() && b == keys[held.len()] {
                    held.push(b);
                    if held.len() == keys.len() {
                        detached.store(true, Ordering::SeqCst);
                        writer.hang_up();
                        return;
                    }
                } else {
                    out.append(&mut held);
                    out.push(b);
                }
            }
            if !out.is_empty() && writer.send_input(&out).is_err() {
                return;
            }
        }
    });
}

/// Copies frames until the exit frame; returns the process's exit code (0 after a detach).
pub fn attach_stream(ctx: &Ctx, mut session: Session, opts: AttachOptions) -> Result<i32> {
    let id = session.container_id().to_string();
    let id = id.as_str();
    let writer = session.input();
    let detached = Arc::new(AtomicBool::new(false));
    handle_signals(ctx, id, writer.clone(), &opts);
    let _raw = RawMode::enable(opts.tty && opts.stdin);
    if opts.tty {
        send_size(&writer);
    }
    if opts.stdin {
        let keys = if opts.tty {
            opts.detach_keys.clone()
        } else {
            Vec::new()
        };
        pump_stdin(writer.clone(), keys, detached.clone());
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    loop {
        let frame = match session.recv() {
            Ok(f) => f,
            Err(_) if detached.load(Ordering::SeqCst) => None,
            Err(e) => return Err(e.into()),
        };
        match frame {
            Some(Frame::Stdout(data)) => {
                let mut out = stdout.lock();
                out.write_all(&data)?;
                out.flush()?;
            }
            Some(Frame::Stderr(data)) => {
                let mut err = stderr.lock();
                err.write_all(&data)?;
                err.flush()?;
            }
            Some(Frame::Exit(code)) => return Ok(code),
            Some(_) => {}
            None if detached.load(Ordering::SeqCst) => {
                drop(_raw);
                eprintln!("\nread escape sequence");
                return Ok(0);
            }
            None => {
                // The shim went away without an exit frame: take the recorded code.
                return Ok(ctx.engine.wait_container(id).unwrap_or(125));
            }
        }
    }
}
