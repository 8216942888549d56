//! `compose logs` and the attached output of `compose up`: every container's lines,
//! prefixed by its name within the project (`web-1  | `) padded to the widest, coloured
//! per service as Compose does when stdout is a terminal.

use super::resources;
use crate::cli::Ctx;
use crate::compose::{Project, plan};
use crate::engine::{Container, LogOptions};
use anyhow::{Result, anyhow};
use clap::Args;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

/// `compose logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Follow log output.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Number of lines to show from the end of the logs for each container (or "all").
    #[arg(short = 'n', long, default_value = "all")]
    pub tail: String,
    /// Show timestamps.
    #[arg(short = 't', long)]
    pub timestamps: bool,
    /// Produce monochrome output.
    #[arg(long = "no-color")]
    pub no_color: bool,
    /// Don't print prefix in logs.
    #[arg(long = "no-log-prefix")]
    pub no_log_prefix: bool,
    /// Services (all when none).
    pub services: Vec<String>,
}

/// Compose's colours, one per service in order of appearance.
const COLOURS: &[&str] = &[
    "36", "33", "32", "35", "34", "31", "96", "93", "92", "95", "94", "91",
];

/// How lines are printed.
#[derive(Debug, Clone)]
pub struct Style {
    /// Colour the prefixes.
    pub colour: bool,
    /// Print the prefixes.
    pub prefix: bool,
    /// Print each line's time.
    pub timestamps: bool,
}

/// One container whose log is shown.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its name or id.
    pub container: String,
    /// The prefix (`web-1`).
    pub label: String,
    /// Its colour (an SGR code).
    pub colour: &'static str,
}

/// What a follower reports.
pub enum Event {
    /// A line of source `usize`.
    Line(usize, String, String),
    /// Source `usize`'s log ended (its container stopped, when following).
    Ended(usize),
}

/// The prefix of a container: its name without `PROJECT-` (Compose's `web-1`).
pub fn label_of(project: &str, c: &Container) -> String {
    c.name()
        .strip_prefix(&format!("{project}-"))
        .unwrap_or(c.name())
        .to_string()
}

/// The sources for `containers`, coloured by service in order of appearance.
pub fn sources(project: &str, containers: &[Container]) -> Vec<Source> {
    let mut services: Vec<&str> = Vec::new();
    containers
        .iter()
        .map(|c| {
            let svc = resources::service_of(c);
            let i = services.iter().position(|s| *s == svc).unwrap_or_else(|| {
                services.push(svc);
                services.len() - 1
            });
            Source {
                container: c.id().to_string(),
                label: label_of(project, c),
                colour: COLOURS[i % COLOURS.len()],
            }
        })
        .collect()
}

/// Starts one reader thread per source; events arrive on the returned channel.
pub fn spawn_readers(
    ctx: &Ctx,
    sources: &[Source],
    follow: bool,
    tail: Option<usize>,
    cancel: Arc<AtomicBool>,
) -> mpsc::Receiver<Event> {
    let (tx, rx) = mpsc::channel();
    for (i, s) in sources.iter().enumerate() {
        let engine = ctx.engine.clone();
        let tx = tx.clone();
        let container = s.container.clone();
        let opts = LogOptions {
            tail,
            follow,
            cancel: Some(cancel.clone()),
            ..LogOptions::default()
        };
        std::thread::spawn(move || {
            let _ = engine.logs(&container, &opts, &mut |l| {
                tx.send(Event::Line(i, l.time, l.text)).is_ok()
            });
            let _ = tx.send(Event::Ended(i));
        });
    }
    rx
}

/// Writes one line with its prefix; false when stdout is gone.
pub fn print_line(
    out: &mut impl Write,
    s: &Source,
    width: usize,
    style: &Style,
    time: &str,
    text: &str,
) -> bool {
    let mut line = String::new();
    if style.prefix {
        let pad = format!("{:<width$} | ", s.label);
        if style.colour {
            line.push_str(&format!("\x1b[{}m{pad}\x1b[0m", s.colour));
        } else {
            line.push_str(&pad);
        }
    }
    if style.timestamps {
        line.push_str(time);
        line.push(' ');
    }
    line.push_str(text);
    if !text.ends_with('\n') {
        line.push('\n');
    }
    out.write_all(line.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
}

/// The prefix width for `sources`.
pub fn width(sources: &[Source]) -> usize {
    sources.iter().map(|s| s.label.len()).max().unwrap_or(0) + 1
}

/// Parses `--tail`.
pub fn parse_tail(s: &str) -> Result<Option<usize>> {
    match s {
        "all" | "-1" => Ok(None),
        n => n
            .parse::<usize>()
            .map(Some)
            .map_err(|_| anyhow!("invalid --tail '{n}': use a number or 'all'")),
    }
}

/// `compose logs`.
pub fn logs(ctx: &Ctx, p: &Project, a: LogsArgs) -> Result<i32> {
    let tail = parse_tail(&a.tail)?;
    let keys = plan::order(p, &a.services, false)?;
    let containers: Vec<Container> = resources::containers(ctx, &p.name, false)?
        .into_iter()
        .filter(|c| keys.iter().any(|k| k == resources::service_of(c)))
        .collect();
    let sources = sources(&p.name, &containers);
    let style = Style {
        colour: !a.no_color && std::io::stdout().is_terminal(),
        prefix: !a.no_log_prefix,
        timestamps: a.timestamps,
    };
    let width = width(&sources);
    let mut out = std::io::stdout().lock();
    let cancel = Arc::new(AtomicBool::new(false));
    let rx = spawn_readers(ctx, &sources, a.follow, tail, cancel);
    let mut open = sources.len();
    while open > 0 {
        match rx.recv() {
            Ok(Event::Line(i, time, text)) => {
                if !print_line(&mut out, &sources[i], width, &style, &time, &text) {
                    return Ok(0);
                }
            }
            Ok(Event::Ended(_)) => open -= 1,
            Err(_) => break,
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_pad_and_colour() {
        let s = Source {
            container: "x".into(),
            label: "web-1".into(),
            colour: "36",
        };
        let mut out = Vec::new();
        let plain = Style {
            colour: false,
            prefix: true,
            timestamps: false,
        };
        assert!(print_line(&mut out, &s, 7, &plain, "t", "hello\n"));
        assert_eq!(String::from_utf8_lossy(&out), "web-1   | hello\n");
        out.clear();
        let coloured = Style {
            colour: true,
            ..plain
        };
        assert!(print_line(&mut out, &s, 5, &coloured, "t", "hi"));
        assert_eq!(String::from_utf8_lossy(&out), "\x1b[36mweb-1 | \x1b[0mhi\n");
    }
}
