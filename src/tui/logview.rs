//! The Logs pane's state: a bounded buffer of the selected container's lines, parsed from
//! ANSI once on arrival, and the scroll position (follow, or N lines up from the end).

use crate::engine::observe::logs::{LogLine, Stream};
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
        LogEntry {
            stream: l.stream,
            line,
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
        self.generation
    }

    /// Appends lines, dropping the oldest past `capacity`. A view scrolled up stays put.
    pub fn push(&mut self, lines: &[LogLine]) {
        for l in lines {
            if self.lines.len() == self.capacity {
                self.lines.pop_front();
                self.dropped += 1;
            }
            self.lines.push_back(LogEntry::from_log(l));
            if !self.follow {
                self.offset += 1;
            }
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

    fn clamp(&mut self) {
        self.offset = self.offset.min(self.lines.len().saturating_sub(1));
    }

    /// The lines that fit in `height` rows, oldest first.
    pub fn visible(&self, height: usize) -> impl Iterator<Item = &LogEntry> {
        let end = self
            .lines
            .len()
            .saturating_sub(if self.follow { 0 } else { self.offset });
        let start = end.saturating_sub(height);
        self.lines.range(start..end)
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
