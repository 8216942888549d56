//! Docker-like per-layer progress lines: `<id>: Downloading [==>   ] 1.2MB/3.4MB`, then
//! `Pull complete`. On a terminal each layer is a live line (indicatif); otherwise only the
//! status changes are printed, one per line. `pull` and `push` draw on stdout; the pull
//! that `run` and `create` make draws on stderr (their stdout is the container's).

use crate::engine::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

/// Whether this is a pull or a push (the words differ).
#[derive(Debug, Clone, Copy)]
pub enum Direction {
    /// Downloading.
    Pull,
    /// Uploading.
    Push,
}

/// The stream the progress goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// Standard output (`pull`, `push`).
    Stdout,
    /// Standard error (the pull before `run` and `create`).
    Stderr,
}

impl Out {
    fn is_terminal(self) -> bool {
        match self {
            Out::Stdout => std::io::stdout().is_terminal(),
            Out::Stderr => std::io::stderr().is_terminal(),
        }
    }

    fn target(self) -> ProgressDrawTarget {
        match self {
            Out::Stdout => ProgressDrawTarget::stdout(),
            Out::Stderr => ProgressDrawTarget::stderr(),
        }
    }

    /// Prints one line.
    pub fn line(self, s: &str) {
        let s = crate::engine::printable(s);
        match self {
            Out::Stdout => println!("{s}"),
            Out::Stderr => eprintln!("{s}"),
        }
    }
}

/// Draws progress events.
pub struct Renderer {
    dir: Direction,
    quiet: bool,
    tty: bool,
    out: Out,
    header: Option<String>,
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Renderer {
    /// A renderer on `out`; `quiet` draws nothing.
    pub fn new(dir: Direction, quiet: bool, out: Out) -> Renderer {
        let tty = out.is_terminal();
        let target = if tty && !quiet {
            out.target()
        } else {
            ProgressDrawTarget::hidden()
        };
        Renderer {
            dir,
            quiet,
            tty,
            out,
            header: None,
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
        }
    }

    /// Prints `header` (`latest: Pulling from library/busybox`) once the reference
    /// resolves, so a pull that fails at once prints only its error, as Docker's does.
    pub fn with_header(mut self, header: String) -> Renderer {
        self.header = Some(header);
        self
    }

    /// Prints a line above the bars.
    pub fn line(&self, s: &str) {
        if self.quiet {
            return;
        }
        if self.tty {
            let _ = self.multi.println(s);
        } else {
            self.out.line(s);
        }
    }

    fn set(&self, id: &str, msg: String) {
        if !self.tty {
            return;
        }
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        let bar = bars.entry(id.to_string()).or_insert_with(|| {
            let b = self.multi.add(ProgressBar::new_spinner());
            if let Ok(style) = ProgressStyle::with_template("{prefix}: {msg}") {
                b.set_style(style);
            }
            b.set_prefix(id.to_string());
            b
        });
        bar.set_message(msg);
    }

    /// Handles one event.
    pub fn event(&self, p: Progress) {
        if self.quiet {
            return;
        }
        let (pending, exists, done, moving) = match self.dir {
            Direction::Pull => (
                "Pulling fs layer",
                "Already exists",
                "Pull complete",
                "Downloading",
            ),
            Direction::Push => ("Preparing", "Layer already exists", "Pushed", "Pushing"),
        };
        match p {
            Progress::Resolved { .. } => {
                if let Some(h) = &self.header {
                    self.line(h);
                }
            }
            Progress::Waiting { id, .. } => self.status(&id, pending),
            Progress::AlreadyExists { id } => self.status(&id, exists),
            Progress::Mounted { id, from } => self.status(&id, &format!("Mounted from {from}")),
            Progress::Complete { id } => self.status(&id, done),
            Progress::Extracting { id } => self.status(&id, "Extracting"),
            Progress::Resumed { id, current, .. } => {
                self.status(&id, &format!("Resuming download at {}", mb(current)))
            }
            Progress::Transferring { id, current, total } => {
                self.set(&id, format!("{moving} {}", bar(current, total)));
            }
        }
    }

    fn status(&self, id: &str, s: &str) {
        if self.tty {
            self.set(id, s.to_string());
        } else {
            self.out.line(&format!("{id}: {s}"));
        }
    }

    /// Leaves the final state of every line on screen.
    pub fn finish(&self) {
        if let Ok(bars) = self.bars.lock() {
            for b in bars.values() {
                b.finish();
            }
        }
    }
}

/// `[=====>      ] 1.2MB/3.4MB`
pub fn bar(current: u64, total: u64) -> String {
    const WIDTH: u64 = 50;
    let filled = (current.saturating_mul(WIDTH))
        .checked_div(total)
        .unwrap_or(0)
        .min(WIDTH);
    let mut s = String::from("[");
    for i in 0..WIDTH {
        s.push(if i + 1 < filled {
            '='
        } else if i + 1 == filled {
            '>'
        } else {
            ' '
        });
    }
    format!("{s}] {}/{}", mb(current), mb(total))
}

fn mb(n: u64) -> String {
    let f = n as f64;
    if f >= 1e9 {
        format!("{:.2}GB", f / 1e9)
    } else if f >= 1e6 {
        format!("{:.1}MB", f / 1e6)
    } else if f >= 1e3 {
        format!("{:.1}kB", f / 1e3)
    } else {
        format!("{n}B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_look_like_dockers() {
        let b = bar(1_200_000, 3_400_000);
        assert!(b.starts_with("[================>"), "{b}");
        assert!(b.ends_with("] 1.2MB/3.4MB"), "{b}");
        assert_eq!(bar(0, 0).matches(' ').count(), 51);
    }
}
