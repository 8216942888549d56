//! The Logs pane's search, filter and merged view, on `LogView`: which lines show, where
//! the matches are, jumping between them, and lines of several containers interleaved by
//! time.
//!
//! A pattern is a plain string, matched case-insensitively (ASCII) unless it has a capital
//! letter ("smart case", as in vim and less).

use crate::engine::LogLine;
use crate::tui::panes::logs::state::{LogEntry, LogView};

/// A search pattern ready to match.
#[derive(Debug, Clone)]
pub struct Pattern {
    needle: String,
    fold: bool,
}

impl Pattern {
    /// The pattern for `text` (none when empty).
    pub fn new(text: &str) -> Option<Pattern> {
        if text.is_empty() {
            return None;
        }
        let fold = !text.chars().any(|c| c.is_ascii_uppercase());
        let needle = if fold {
            text.to_ascii_lowercase()
        } else {
            text.to_string()
        };
        Some(Pattern { needle, fold })
    }

    /// Byte ranges of the matches in `e`'s text.
    pub fn find(&self, e: &LogEntry) -> Vec<(usize, usize)> {
        let plain;
        let hay: &str = if self.fold {
            &e.lower
        } else {
            plain = e
                .line
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>();
            &plain
        };
        hay.match_indices(&self.needle)
            .map(|(i, m)| (i, i + m.len()))
            .collect()
    }

    /// Whether `e` matches.
    pub fn matches(&self, e: &LogEntry) -> bool {
        if self.fold {
            e.lower.contains(&self.needle)
        } else {
            !self.find(e).is_empty()
        }
    }
}

impl LogView {
    /// The pattern being searched, if any.
    pub fn pattern(&self) -> Option<Pattern> {
        self.search.as_deref().and_then(Pattern::new)
    }

    /// Whether `e` shows (with a filter, only matches do).
    pub fn shown(&self, e: &LogEntry) -> bool {
        if !self.filter {
            return true;
        }
        self.pattern().is_none_or(|p| p.matches(e))
    }

    /// Indices of the shown lines up to the view's last one (`offset` shown lines above
    /// the newest), oldest first.
    pub fn shown_before_view(&self) -> Vec<usize> {
        let p = self.pattern().filter(|_| self.filter);
        let mut shown: Vec<usize> = (0..self.lines.len())
            .filter(|&i| p.as_ref().is_none_or(|p| p.matches(&self.lines[i])))
            .collect();
        let skip = if self.follow { 0 } else { self.offset };
        shown.truncate(shown.len().saturating_sub(skip));
        shown
    }

    /// Sets the search (empty clears it) and jumps to the newest match; returns how many
    /// lines match.
    pub fn set_search(&mut self, text: &str) -> usize {
        self.search = (!text.is_empty()).then(|| text.to_string());
        self.current = None;
        let Some(p) = self.pattern() else {
            self.filter = false;
            return 0;
        };
        let count = self.lines.iter().filter(|e| p.matches(e)).count();
        if count > 0 {
            self.bottom();
            self.jump(true);
        }
        count
    }

    /// Moves to the next match, older (`n`) or newer (`N`) than the current one, and
    /// scrolls it to the bottom of the view. False when there is none that way.
    pub fn jump(&mut self, older: bool) -> bool {
        let Some(p) = self.pattern() else {
            return false;
        };
        let len = self.lines.len();
        let current = self
            .current
            .and_then(|c| c.checked_sub(self.dropped))
            .map(|c| c as usize)
            .filter(|c| *c < len);
        let found = if older {
            let below = current.unwrap_or(len);
            (0..below).rev().find(|&i| p.matches(&self.lines[i]))
        } else {
            let above = current.map_or(len, |c| c + 1);
            (above..len).find(|&i| p.matches(&self.lines[i]))
        };
        let Some(i) = found else {
            return false;
        };
        self.current = Some(self.dropped + i as u64);
        // Shown lines after the match: that many rows below the view's bottom.
        let after = (i + 1..len).filter(|&j| self.shown(&self.lines[j])).count();
        self.follow = after == 0;
        self.offset = after;
        true
    }

    /// The current match's index in `lines`.
    pub fn current_index(&self) -> Option<usize> {
        self.current
            .and_then(|c| c.checked_sub(self.dropped))
            .map(|c| c as usize)
            .filter(|c| *c < self.lines.len())
    }

    /// Switches to the merged view of `containers`; returns the new generation.
    pub fn reset_merged(&mut self, containers: Vec<String>) -> u64 {
        let generation = self.reset(None);
        self.merged = containers;
        generation
    }

    /// Adds lines of merged source `source`, each placed by its time among the others.
    pub fn push_from(&mut self, source: usize, lines: &[LogLine]) {
        for l in lines {
            if self.lines.len() == self.capacity {
                self.lines.pop_front();
                self.dropped += 1;
            }
            let mut entry = LogEntry::from_log(l);
            entry.source = source;
            // Times are RFC 3339 in UTC with a fixed width: they sort as text. Lines come
            // in order per container, so the place is near the end.
            let at = self
                .lines
                .iter()
                .rposition(|e| e.time <= entry.time)
                .map_or(0, |i| i + 1);
            let below_view = self.lines.len() - at;
            if !self.follow && self.shown(&entry) && below_view <= self.offset {
                self.offset += 1;
            }
            self.lines.insert(at, entry);
        }
        self.clamp();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Stream;

    fn line(t: &str, time: &str) -> LogLine {
        LogLine {
            stream: Stream::Stdout,
            time: time.into(),
            text: format!("{t}\n"),
        }
    }

    fn texts<'a>(it: impl Iterator<Item = &'a LogEntry>) -> Vec<String> {
        it.map(|e| e.line.to_string()).collect()
    }

    #[test]
    fn search_jumps_between_matches_and_filter_keeps_only_them() {
        let mut v = LogView::new(100);
        let t = "2026-01-01T00:00:00.000000000Z";
        v.push(&[
            line("GET /a 200", t),
            line("error: disk", t),
            line("GET /b 200", t),
            line("Error: net", t),
            line("GET /c 200", t),
        ]);
        assert_eq!(v.set_search("error"), 2, "smart case: lowercase folds");
        assert_eq!(v.current_index(), Some(3));
        assert_eq!(texts(v.visible(2)), ["GET /b 200", "Error: net"]);
        assert!(v.jump(true));
        assert_eq!(v.current_index(), Some(1));
        assert_eq!(texts(v.visible(1)), ["error: disk"]);
        assert!(!v.jump(true), "no older match");
        assert!(v.jump(false));
        assert_eq!(v.current_index(), Some(3));
        assert_eq!(v.set_search("Error"), 1, "a capital matches exactly");

        v.set_search("get");
        v.filter = true;
        v.bottom();
        assert_eq!(
            texts(v.visible(10)),
            ["GET /a 200", "GET /b 200", "GET /c 200"]
        );
        v.scroll_up(1);
        assert_eq!(texts(v.visible(10)), ["GET /a 200", "GET /b 200"]);
        // A matching line arriving while scrolled up keeps the view; others do not count.
        v.push(&[line("GET /d 200", t), line("POST /e", t)]);
        assert_eq!(texts(v.visible(10)), ["GET /a 200", "GET /b 200"]);
        let p = v.pattern().expect("pattern");
        assert_eq!(p.find(&v.lines[0]), [(0, 3)]);
    }

    #[test]
    fn merged_lines_interleave_by_time() {
        let mut v = LogView::new(10);
        v.reset_merged(vec!["a".into(), "b".into()]);
        v.push_from(0, &[line("a1", "2026-01-01T00:00:01.000000000Z")]);
        v.push_from(0, &[line("a3", "2026-01-01T00:00:03.000000000Z")]);
        v.push_from(1, &[line("b2", "2026-01-01T00:00:02.000000000Z")]);
        v.push_from(1, &[line("b4", "2026-01-01T00:00:04.000000000Z")]);
        assert_eq!(texts(v.visible(10)), ["a1", "b2", "a3", "b4"]);
        let sources: Vec<usize> = v.lines.iter().map(|e| e.source).collect();
        assert_eq!(sources, [0, 1, 0, 1]);
    }
}
