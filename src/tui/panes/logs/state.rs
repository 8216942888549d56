//! The Logs pane's state: a bounded buffer of the selected container's lines, parsed from
//! ANSI once on arrival, and the scroll position (follow, or N lines up from the end).

use crate::engine::{LogLine, Stream};
use ansi_to_tui::IntoText;
use ratatui::text::{Line, Span};
use std::collections::VecDeque;

/// One line ready to draw.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// stdout or stderr.
    pub stream: Stream,
    /// The text with its ANSI colours as spans (no theme applied).
    pub line: Line<'static>,
    /// When it was written (RFC 3339, as recorded).
    pub time: String,
    /// In a merged view: the index of its container in `LogView::merged`.
    pub source: usize,
    /// The text without escapes, ASCII-lowercased (search and filter; byte offsets match
    /// the spans' text).
    pub lower: String,
}

impl LogEntry {
    /// Parses a log line's ANSI escapes into styled spans.
    pub fn from_log(l: &LogLine) -> LogEntry {
        let raw = l.text.trim_end_matches(['\n', '\r']);
        let line = match raw.as_bytes().into_text() {
            Ok(text) => {
                let spans: Vec<Span<'static>> =
                    text.lines.into_iter().flat_map(|l| l.spans).collect();
                Line::from(spans)
            }
            Err(_) => Line::from(raw.to_string()),
        };
        let lower = line
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect::<String>()
            .to_ascii_lowercase();
        LogEntry {
            stream: l.stream,
            line,
            time: l.time.clone(),
            source: 0,
            lower,
        }
    }
}

/// The followed log.
#[derive(Debug, Clone)]
pub struct LogView {
    /// The container whose log this is.
    pub container: Option<String>,
    /// Tag of the current follower; lines from older ones are dropped.
    pub generation: u64,
    /// The last `capacity` lines.
    pub lines: VecDeque<LogEntry>,
    /// How many lines are kept.
    pub capacity: usize,
    /// Lines dropped from the front since this log was opened.
    pub dropped: u64,
    /// Stick to the newest line.
    pub follow: bool,
    /// When not following: how many lines above the newest the view ends.
    pub offset: usize,
    /// The follower stopped (container not running, or an error).
    pub ended: bool,
    /// Why the follower failed, if it did.
    pub error: Option<String>,
    /// The search pattern (`/`): matches are highlighted, `n`/`N` jump between them.
    pub search: Option<String>,
    /// Show only the lines matching `search`.
    pub filter: bool,
    /// Show each line's time.
    pub timestamps: bool,
    /// Wrap long lines instead of cutting them.
    pub wrap: bool,
    /// The containers of the merged view (empty: the selected container's log).
    pub merged: Vec<String>,
    /// The current match, as a line number since the log was opened (`dropped` + index).
    pub current: Option<u64>,
    /// Containers marked for the merged view.
    pub marked: Vec<String>,
}

impl LogView {
    /// An empty view keeping at most `capacity` lines.
    pub fn new(capacity: usize) -> LogView {
        LogView {
            container: None,
            generation: 0,
            lines: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
            follow: true,
            offset: 0,
            ended: false,
            error: None,
            search: None,
            filter: false,
            timestamps: false,
            wrap: false,
            merged: Vec::new(),
            current: None,
            marked: Vec::new(),
        }
    }

    /// Switches to another container's log; returns the new generation.
    pub fn reset(&mut self, container: Option<String>) -> u64 {
        self.generation += 1;
        self.container = container;
        self.lines.clear();
        self.dropped = 0;
        self.follow = true;
        self.offset = 0;
        self.ended = false;
        self.error = None;
        self.current = None;
        self.merged.clear();
        self.generation
    }

    /// Appends lines, dropping the oldest past `capacity`. A view scrolled up stays put.
    pub fn push(&mut self, lines: &[LogLine]) {
        // Following, lines that would drop out within this batch are not even parsed.
        let skip = if self.follow {
            lines.len().saturating_sub(self.capacity)
        } else {
            0
        };
        if skip > 0 {
            self.dropped += (self.lines.len() + skip) as u64;
            self.lines.clear();
        }
        for l in &lines[skip..] {
            if self.lines.len() == self.capacity {
                self.lines.pop_front();
                self.dropped += 1;
            }
            let entry = LogEntry::from_log(l);
            if !self.follow && self.shown(&entry) {
                self.offset += 1;
            }
            self.lines.push_back(entry);
        }
        self.clamp();
    }

    /// Scrolls up (towards older lines) by `n`; stops following.
    pub fn scroll_up(&mut self, n: usize) {
        self.follow = false;
        self.offset += n;
        self.clamp();
    }

    /// Scrolls down by `n`; reaching the end resumes following.
    pub fn scroll_down(&mut self, n: usize) {
        self.offset = self.offset.saturating_sub(n);
        if self.offset == 0 {
            self.follow = true;
        }
    }

    /// Jumps to the oldest line.
    pub fn top(&mut self) {
        self.follow = false;
        self.offset = usize::MAX;
        self.clamp();
    }

    /// Jumps to the newest line and follows.
    pub fn bottom(&mut self) {
        self.follow = true;
        self.offset = 0;
    }

    pub(crate) fn clamp(&mut self) {
        let shown = match self.pattern().filter(|_| self.filter) {
            Some(p) => self.lines.iter().filter(|e| p.matches(e)).count(),
            None => self.lines.len(),
        };
        self.offset = self.offset.min(shown.saturating_sub(1));
    }

    /// The lines that fit in `height` rows (one row each), oldest first; with a filter,
    /// only the matching ones.
    pub fn visible(&self, height: usize) -> impl Iterator<Item = &LogEntry> {
        let shown = self.shown_before_view();
        let start = shown.len().saturating_sub(height);
        shown.into_iter().skip(start).map(|i| &self.lines[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> LogLine {
        LogLine {
            stream: Stream::Stdout,
            time: String::new(),
            text: format!("{t}\n"),
        }
    }

    #[test]
    fn buffer_is_bounded_and_scroll_stays_put() {
        let mut v = LogView::new(3);
        v.push(&[line("a"), line("b"), line("c"), line("d")]);
        assert_eq!(v.lines.len(), 3);
        assert_eq!(v.dropped, 1);
        let text: Vec<String> = v.visible(10).map(|e| e.line.to_string()).collect();
        assert_eq!(text, ["b", "c", "d"]);
        v.scroll_up(1);
        assert_eq!(
            v.visible(1).map(|e| e.line.to_string()).collect::<Vec<_>>(),
            ["c"]
        );
        v.push(&[line("e")]);
        assert_eq!(
            v.visible(1).map(|e| e.line.to_string()).collect::<Vec<_>>(),
            ["c"]
        );
        v.bottom();
        assert_eq!(
            v.visible(1).map(|e| e.line.to_string()).collect::<Vec<_>>(),
            ["e"]
        );
    }
}
