//! berth command lines typed in the dashboard's palette: checked with berth's own parser
//! (clap), so a typo is answered at once with clap's message, and commands that need a
//! terminal (an interactive run or exec, attach, a followed log, live stats, the event
//! stream, the API service) are answered with what to use in the dashboard instead. The
//! CLI owns what its commands are; the program's bootstrap hands these two functions to
//! the dashboard, which does not import the CLI.

use super::container::ContainerCommand;
use super::system::SystemCommand;
use super::{Cli, Command};
use clap::error::ErrorKind;

/// Checks `words` (what follows `berth`) with berth's parser; `Err` is one line to show.
pub fn check(words: &[String]) -> Result<(), String> {
    let mut argv = vec!["berth".to_string()];
    argv.extend(words.iter().cloned());
    let cli = match super::parse::parse(&argv) {
        Ok(cli) => cli,
        // Help and version print like any other command's output.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            return Ok(());
        }
        Err(e) => return Err(first_line(&e.to_string())),
    };
    match cli.command {
        None => Err("that opens the dashboard, which is open: type a command".into()),
        Some(c) => match needs_terminal(&c) {
            Some(why) => Err(why.to_string()),
            None => Ok(()),
        },
    }
}

/// clap's message without its usage lines: `error: unrecognized subcommand 'x'`.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("not a berth command")
        .trim();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Why `c` cannot run with its output captured (it needs a terminal or never ends).
fn needs_terminal(c: &Command) -> Option<&'static str> {
    const SHELL: &str = "needs a terminal: ':shell NAME' opens a shell in the Shell pane";
    const RUN: &str =
        "needs a terminal: run it with -d (and without -i/-t), then ':shell NAME' or ':logs NAME'";
    const LOGS: &str = "follows the log forever: ':logs NAME' shows it live";
    const STATS: &str = "streams forever: ':stats NAME' shows live charts, or add --no-stream";
    const EVENTS: &str = "streams forever: add --until, or run 'berth events' in a terminal";
    match c {
        Command::Run(a) | Command::Container(ContainerCommand::Run(a))
            if !a.detach || a.create.interactive || a.create.tty =>
        {
            Some(RUN)
        }
        Command::Exec(a) | Command::Container(ContainerCommand::Exec(a))
            if a.interactive || a.tty =>
        {
            Some(SHELL)
        }
        Command::Attach(_) | Command::Container(ContainerCommand::Attach(_)) => Some(SHELL),
        Command::Start(a) | Command::Container(ContainerCommand::Start(a))
            if a.attach || a.interactive =>
        {
            Some(SHELL)
        }
        Command::Logs(a) | Command::Container(ContainerCommand::Logs(a)) if a.follow => Some(LOGS),
        Command::Stats(a) | Command::Container(ContainerCommand::Stats(a)) if !a.no_stream => {
            Some(STATS)
        }
        Command::Events(a) if a.until.is_none() => Some(EVENTS),
        Command::System(SystemCommand::Service(_)) => {
            Some("runs the API service until stopped: start it in a terminal")
        }
        Command::Login(a) if !a.password_stdin && a.password.is_none() => {
            Some("asks for a password: run 'berth login' in a terminal")
        }
        _ => None,
    }
}

/// berth's command names, and the subcommands of a group (`network` -> `create`, ...),
/// for completion.
pub fn command_words(group: Option<&str>) -> Vec<String> {
    use clap::{CommandFactory, Subcommand};
    let cmd = match group {
        None => Cli::command(),
        Some("container") => ContainerCommand::augment_subcommands(clap::Command::new("x")),
        Some("image") => super::image::ImageCommand::augment_subcommands(clap::Command::new("x")),
        Some("network") => {
            super::network::NetworkCommand::augment_subcommands(clap::Command::new("x"))
        }
        Some("volume") => {
            super::volume::VolumeCommand::augment_subcommands(clap::Command::new("x"))
        }
        Some("system") => SystemCommand::augment_subcommands(clap::Command::new("x")),
        Some("builder") => {
            super::build::BuilderCommand::augment_subcommands(clap::Command::new("x"))
        }
        Some(_) => return vec![],
    };
    let mut words: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| !n.starts_with("__"))
        .collect();
    words.sort();
    words
}
