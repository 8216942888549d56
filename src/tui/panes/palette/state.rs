//! The palette's state: what is typed, the history, the completions offered, and the
//! command lines still running; and the words it knows besides berth's commands.

use std::path::PathBuf;

/// Most history entries kept (and saved).
pub const HISTORY: usize = 200;

/// The palette.
#[derive(Debug, Clone, Default)]
pub struct PaletteState {
    /// Whether the prompt shows (and takes the keys).
    pub open: bool,
    /// What is typed.
    pub input: String,
    /// Lines run before, oldest first.
    pub history: Vec<String>,
    /// The history entry shown while going through it with up and down.
    pub history_at: Option<usize>,
    /// What was typed before going into the history.
    pub draft: String,
    /// The completions the last tab offered (shown after the input).
    pub candidates: Vec<String>,
    /// Command lines running in the background (`berth rm -f x`).
    pub running: Vec<String>,
    /// Where the history is saved (none: kept in memory only).
    pub history_file: Option<PathBuf>,
}

impl PaletteState {
    /// Records `line` as the newest history entry (a repeat of the last is not kept
    /// twice); the oldest go past [`HISTORY`].
    pub fn remember(&mut self, line: &str) {
        if line.is_empty() || self.history.last().map(String::as_str) == Some(line) {
            return;
        }
        self.history.push(line.to_string());
        let over = self.history.len().saturating_sub(HISTORY);
        self.history.drain(..over);
    }

    /// Up (`older` true) or down through the history.
    pub fn browse(&mut self, older: bool) {
        let n = self.history.len();
        if n == 0 {
            return;
        }
        let at = match (self.history_at, older) {
            (None, true) => {
                self.draft = self.input.clone();
                Some(n - 1)
            }
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
        };
        self.history_at = at;
        self.input = match at {
            Some(i) => self.history[i].clone(),
            None => self.draft.clone(),
        };
        self.candidates.clear();
    }

    /// The history as saved: one line each.
    pub fn history_text(&self) -> String {
        let mut text = self.history.join("\n");
        text.push('\n');
        text
    }

    /// Reads a saved history (missing or unreadable: none).
    pub fn load_history(file: &std::path::Path) -> Vec<String> {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let lines: Vec<String> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        let over = lines.len().saturating_sub(HISTORY);
        lines[over..].to_vec()
    }
}

/// A view the palette opens by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The container list.
    Containers,
    /// The Images pane.
    Images,
    /// The Networks pane.
    Networks,
    /// A container's log (the selected one without a name).
    Logs(Option<String>),
    /// A container's live charts.
    Stats(Option<String>),
    /// A container's processes.
    Top(Option<String>),
    /// A container's changed files.
    Diff(Option<String>),
    /// A container's events, log lines and samples on one time axis.
    Timeline(Option<String>),
    /// The Volumes pane.
    Volumes,
    /// The Topology pane.
    Topology,
    /// The Inspect view of a container, image, network or volume (the selection's
    /// without a name).
    Inspect(Option<String>),
    /// A shell in a container.
    Shell(Option<String>),
    /// The help popup.
    Help,
    /// Leave the dashboard.
    Quit,
}

/// The palette's own words: (word, argument, what it does). `berth`'s commands follow.
pub const WORDS: &[(&str, &str, &str)] = &[
    ("containers", "", "the container list"),
    ("images", "", "images, history and layer files"),
    ("networks", "", "networks, their containers and DNS queries"),
    ("logs", "NAME", "the container's log"),
    ("stats", "NAME", "the container's live charts"),
    ("top", "NAME", "the container's processes"),
    ("shell", "NAME", "a shell in the container"),
    ("diff", "NAME", "the container's changed files, live"),
    (
        "timeline",
        "NAME",
        "the container's events, log lines, CPU and memory on one time axis",
    ),
    ("volumes", "", "volumes, their sizes and users"),
    (
        "topology",
        "",
        "networks and containers drawn, addresses and rx/tx on the links",
    ),
    (
        "inspect",
        "NAME",
        "the JSON of a container, image, network or volume",
    ),
    ("help", "", "the key bindings"),
    ("quit", "", "leave the dashboard"),
];

/// Words of views this dashboard does not have yet, with what to do instead.
pub const NOT_YET: &[(&str, &str)] = &[(
    "events",
    "no events view yet: run 'berth events' in a terminal",
)];

/// What a palette line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// Open a view.
    View(View),
    /// A view word with no view yet: the one-line answer.
    NotAvailable(String),
    /// A berth command line (the words after `berth`), checked by berth's parser.
    Command(Vec<String>),
    /// Not a valid line: why.
    Invalid(String),
}

/// Splits a line into words as a shell would: spaces separate, quotes ('' and "") and
/// backslashes keep spaces in a word.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => word.push(x),
                        None => return Err("a ' quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => word.push(x),
                            None => return Err("a \" quote is not closed".into()),
                        },
                        Some(x) => word.push(x),
                        None => return Err("a \" quote is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    word.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// What `line` means: a view word (with at most a NAME and no flags), a view not here
/// yet, or a berth command line (`berth` in front is optional).
pub fn meaning(line: &str) -> Meaning {
    let mut words = match split_words(line) {
        Ok(w) => w,
        Err(e) => return Meaning::Invalid(e),
    };
    if words.first().map(String::as_str) == Some("berth") {
        words.remove(0);
    }
    let Some(first) = words.first().cloned() else {
        return Meaning::Invalid(
            "type a view (containers, logs NAME, ...) or a berth command".into(),
        );
    };
    let rest = &words[1..];
    let flags = rest.iter().any(|w| w.starts_with('-'));
    let name = rest.first().cloned();
    if !flags && rest.len() <= 1 {
        let view = match first.as_str() {
            "containers" if rest.is_empty() => Some(View::Containers),
            "images" if rest.is_empty() => Some(View::Images),
            "networks" if rest.is_empty() => Some(View::Networks),
            "logs" => Some(View::Logs(name.clone())),
            "stats" => Some(View::Stats(name.clone())),
            "top" => Some(View::Top(name.clone())),
            "shell" => Some(View::Shell(name.clone())),
            "diff" => Some(View::Diff(name.clone())),
            "timeline" => Some(View::Timeline(name.clone())),
            "volumes" if rest.is_empty() => Some(View::Volumes),
            "topology" if rest.is_empty() => Some(View::Topology),
            "inspect" => Some(View::Inspect(name.clone())),
            "help" if rest.is_empty() => Some(View::Help),
            "quit" | "q" if rest.is_empty() => Some(View::Quit),
            _ => None,
        };
        if let Some(v) = view {
            return Meaning::View(v);
        }
    }
    if let Some((w, why)) = NOT_YET.iter().find(|(w, _)| *w == first) {
        return Meaning::NotAvailable(format!("':{w}' is not available: {why}"));
    }
    match super::commands::check(&words) {
        Ok(()) => Meaning::Command(words),
        Err(e) => Meaning::Invalid(e),
    }
}

/// What a command line run from the palette printed, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// Its exit code (none when a signal ended it).
    pub code: Option<i32>,
    /// Its standard output (lossy UTF-8, cut at [`OUTPUT_LIMIT`]).
    pub stdout: String,
    /// Its standard error (likewise).
    pub stderr: String,
}

/// Bytes of a command's output the dashboard keeps (of each stream).
pub const OUTPUT_LIMIT: usize = 256 * 1024;
