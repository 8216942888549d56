//! What the palette knows of berth's command line: two functions the program's bootstrap
//! installs before the dashboard opens (the CLI owns its commands, and the dashboard does
//! not import the CLI). Until they are installed, every command line is answered with
//! "not available" and completion offers only the palette's own words.

use std::sync::OnceLock;

/// berth's command line, as the CLI knows it.
#[derive(Debug, Clone, Copy)]
pub struct CommandLine {
    /// Checks the words after `berth`: `Err` is one line to show (clap's message, or why
    /// the command cannot run with its output captured).
    pub check: fn(&[String]) -> Result<(), String>,
    /// berth's command names, or a group's subcommands (`network` -> `create`, ...).
    pub words: fn(Option<&str>) -> Vec<String>,
}

static INSTALLED: OnceLock<CommandLine> = OnceLock::new();

/// Installs berth's command line (the first call wins; later ones are ignored).
pub fn install(commands: CommandLine) {
    let _ = INSTALLED.set(commands);
}

/// Checks `words` with the installed command line.
pub fn check(words: &[String]) -> Result<(), String> {
    match INSTALLED.get() {
        Some(c) => (c.check)(words),
        None => Err("berth's commands are not available in this dashboard".into()),
    }
}

/// The command words of `group` (or the top level) of the installed command line.
pub fn command_words(group: Option<&str>) -> Vec<String> {
    INSTALLED
        .get()
        .map(|c| (c.words)(group))
        .unwrap_or_default()
}
