//! Compose v2's progress lines: ` ✔ Container p-web-1  Started` on a terminal, plain
//! `Container p-web-1  Started` otherwise; on stderr, as Compose writes them.

use std::io::IsTerminal;

/// Where progress lines go.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    tty: bool,
}

impl Progress {
    /// Lines for stderr (decorated when it is a terminal).
    pub fn new() -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// One resource's step: `kind` is `Container`, `Network` or `Volume`.
    pub fn done(&self, kind: &str, name: &str, status: &str) {
        eprintln!("{}", line(self.tty, kind, name, status, true));
    }

    /// A step under way (`Creating`, `Starting`, `Waiting`): a terminal shows only the
    /// outcome, plain output shows both, as Compose's `--progress plain` does.
    pub fn working(&self, kind: &str, name: &str, status: &str) {
        if !self.tty {
            eprintln!("{}", line(false, kind, name, status, false));
        }
    }

    /// A failure of one resource (` ✘ ...` on a terminal).
    pub fn failed(&self, kind: &str, name: &str, status: &str) {
        eprintln!(
            "{}",
            line(self.tty, kind, name, status, false).replacen(" ✔", " ✘", 1)
        );
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

/// The text of one line.
pub fn line(tty: bool, kind: &str, name: &str, status: &str, done: bool) -> String {
    if tty {
        let mark = if done { "✔" } else { "✘" };
        format!(" {mark} {kind} {name}  {status}")
    } else {
        format!("{kind} {name}  {status}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_compose_prints_them() {
        assert_eq!(
            line(true, "Container", "p-web-1", "Started", true),
            " ✔ Container p-web-1  Started"
        );
        assert_eq!(
            line(false, "Network", "p_default", "Created", true),
            "Network p_default  Created"
        );
    }
}
