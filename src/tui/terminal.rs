//! Entering and leaving full-screen mode. The terminal is restored when the guard drops
//! (normal exit, error, Ctrl-C) and by the panic hook ratatui installs.

use ratatui::DefaultTerminal;

/// The terminal in raw mode on the alternate screen; restored on drop.
pub struct TerminalGuard {
    /// The ratatui terminal.
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen (and installs the restoring panic hook).
    pub fn enter() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        let _ = ratatui::try_restore();
    }
}
