//! Entering and leaving full-screen mode. The terminal is restored when the guard drops
//! (normal exit, error, Ctrl-C) and by the panic hook ratatui installs; mouse reporting,
//! when on, is turned off in both cases too.
//!
//! The mouse is asked for with xterm's "normal" tracking (presses, releases and the wheel,
//! mode 1000) in SGR encoding (1006), not with crossterm's `EnableMouseCapture`, which also
//! asks for every motion (1003): a moving mouse would wake the dashboard for nothing.

use ratatui::DefaultTerminal;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Turns press and wheel reports on (SGR coordinates).
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1006h";
/// Turns them off again.
const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1000l";

/// Whether mouse reporting is on (the panic hook turns it off).
static MOUSE: AtomicBool = AtomicBool::new(false);

/// The terminal in raw mode on the alternate screen; restored on drop.
pub struct TerminalGuard {
    /// The ratatui terminal.
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen (and installs the restoring panic hook);
    /// with `mouse`, asks the terminal for mouse presses and the wheel.
    pub fn enter(mouse: bool) -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        if mouse {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                mouse_off();
                previous(info);
            }));
            let mut out = std::io::stdout();
            out.write_all(MOUSE_ON)?;
            out.flush()?;
            MOUSE.store(true, Ordering::SeqCst);
        }
        Ok(TerminalGuard { terminal })
    }
}

/// Stops mouse reporting if it is on.
fn mouse_off() {
    if MOUSE.swap(false, Ordering::SeqCst) {
        let mut out = std::io::stdout();
        let _ = out.write_all(MOUSE_OFF);
        let _ = out.flush();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        mouse_off();
        let _ = self.terminal.show_cursor();
        let _ = ratatui::try_restore();
    }
}
