//! The Timeline pane's state: the container watched, its events, its log lines (a
//! bounded buffer), its CPU and memory samples, the rows they make, the selected row and
//! which runs of log lines were unfolded.

use super::merge::{Row, RowKind, merge, runs_around};
use crate::engine::{Event, LogLine, Stream};
use chrono::{DateTime, Utc};
use std::collections::{HashSet, VecDeque};

/// Samples kept: an hour at one a second.
pub const SAMPLES: usize = 3600;

/// One log line on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Its number, in the order read (never reused while the pane watches one container).
    pub seq: u64,
    /// When the shim read it.
    pub time: DateTime<Utc>,
    /// The text, printable, without its newline.
    pub text: String,
    /// Whether it came on standard error.
    pub stderr: bool,
}

/// CPU and memory at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When.
    pub time: DateTime<Utc>,
    /// CPU in percent of one CPU.
    pub cpu: f64,
    /// Memory in use, bytes.
    pub mem: u64,
}

/// The Timeline pane.
#[derive(Debug, Clone, Default)]
pub struct TimelineView {
    /// The container watched (its name), while the pane shows.
    pub container: Option<String>,
    /// Its full id.
    pub id: Option<String>,
    /// Tag of the current watcher; older news is dropped.
    pub generation: u64,
    /// Its events, in the journal's order.
    pub events: Vec<Event>,
    /// Its log lines, oldest first, at most `capacity`.
    pub logs: VecDeque<LogEntry>,
    /// Lines kept.
    pub capacity: usize,
    /// The next line's number.
    pub next_seq: u64,
    /// Its CPU and memory, oldest first.
    pub samples: VecDeque<Sample>,
    /// The runs of log lines unfolded (by their first line's number).
    pub unfolded: HashSet<u64>,
    /// The rows, oldest first (rebuilt when something arrives).
    pub rows: Vec<Row>,
    /// The selected row.
    pub selected: usize,
    /// The first row on screen when not following (the view keeps the selection on
    /// screen whatever it says).
    pub top: usize,
    /// Whether the selection stays on the newest row as rows arrive.
    pub follow: bool,
    /// Whether the first read of the events came.
    pub loaded: bool,
    /// Why the last read failed.
    pub error: Option<String>,
}

impl TimelineView {
    /// Starts over for container `name` (`id`), keeping `capacity` log lines; returns the
    /// new watcher's tag.
    pub fn reset(&mut self, watched: Option<(String, String)>, capacity: usize) -> u64 {
        let generation = self.generation + 1;
        let (id, container) = watched.unzip();
        *self = TimelineView {
            container,
            id,
            generation,
            capacity: capacity.max(1),
            follow: true,
            ..TimelineView::default()
        };
        generation
    }

    /// Takes events read from the journal.
    pub fn add_events(&mut self, events: Vec<Event>) {
        self.loaded = true;
        self.error = None;
        if !events.is_empty() {
            self.events.extend(events);
            self.rebuild();
        }
    }

    /// Takes log lines (the oldest go past the capacity).
    pub fn add_lines(&mut self, lines: Vec<LogLine>) {
        for l in lines {
            let Some(time) = l.timestamp() else { continue };
            let text = crate::engine::printable(l.text.trim_end_matches(['\n', '\r'])).into_owned();
            self.logs.push_back(LogEntry {
                seq: self.next_seq,
                time,
                text,
                stderr: l.stream == Stream::Stderr,
            });
            self.next_seq += 1;
        }
        let over = self.logs.len().saturating_sub(self.capacity);
        self.logs.drain(..over);
        self.rebuild();
    }

    /// Takes a sample; one at the same time as the last replaces it.
    pub fn add_sample(&mut self, sample: Sample) {
        match self.samples.back_mut() {
            Some(last) if last.time == sample.time => *last = sample,
            Some(last) if last.time > sample.time => {}
            _ => self.samples.push_back(sample),
        }
        if self.samples.len() > SAMPLES {
            self.samples.pop_front();
        }
        // One slice, for the binary searches of `samples_between`.
        self.samples.make_contiguous();
    }

    /// The log line numbered `seq`, if still kept.
    pub fn line(&self, seq: u64) -> Option<&LogEntry> {
        let first = self.logs.front()?.seq;
        self.logs
            .get(usize::try_from(seq.checked_sub(first)?).ok()?)
    }

    /// The samples taken in `[from, to)` (to the end without `to`).
    pub fn samples_between(&self, from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> &[Sample] {
        // Kept in one slice by `add_sample`.
        let slice = self.samples.as_slices().0;
        let start = slice.partition_point(|s| s.time < from);
        let end = to.map_or(slice.len(), |t| slice.partition_point(|s| s.time < t));
        &slice[start..end.max(start)]
    }

    /// The newest sample at or before `time`.
    pub fn sample_at(&self, time: DateTime<Utc>) -> Option<&Sample> {
        self.samples.iter().rev().find(|s| s.time <= time)
    }

    /// Builds the rows again, keeping the selection on the same row (or the newest when
    /// following).
    pub fn rebuild(&mut self) {
        let kept = self.rows.get(self.selected).copied();
        self.rows = merge(&self.events, &self.logs, &self.unfolded);
        let last = self.rows.len().saturating_sub(1);
        self.selected = match kept {
            _ if self.follow => last,
            Some(k) => self
                .rows
                .iter()
                .position(|r| r.kind == k.kind && r.run == k.run)
                .or_else(|| self.rows.iter().position(|r| r.time >= k.time))
                .unwrap_or(last),
            None => last,
        };
    }

    /// Moves the selection `delta` rows (`isize::MIN`/`MAX`: the first/last row) in a
    /// view `height` rows high, scrolling only when it would leave the screen; the last
    /// row follows new ones.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        self.top = self.first_shown(height);
        let last = self.rows.len().saturating_sub(1);
        self.selected = match delta {
            isize::MIN => 0,
            isize::MAX => last,
            d => self.selected.saturating_add_signed(d).min(last),
        };
        self.follow = self.selected == last;
        self.top = self.first_shown(height);
    }

    /// The first row a view `height` rows high shows: the selection stays on screen (at
    /// the bottom while following), and the rows fill the screen when there are enough.
    pub fn first_shown(&self, height: usize) -> usize {
        let height = height.max(1);
        let lowest = self.selected.saturating_sub(height - 1);
        let top = if self.follow {
            lowest
        } else {
            self.top.clamp(lowest, self.selected)
        };
        top.min(self.rows.len().saturating_sub(height))
    }

    /// `enter`: on an event, unfolds the log lines around it (or folds them again); on a
    /// fold, unfolds it; on a line of an unfolded run, folds it. Returns what changed.
    pub fn toggle(&mut self) -> Option<(bool, usize)> {
        let row = *self.rows.get(self.selected)?;
        let runs = match row.kind {
            RowKind::Event(_) => runs_around(&self.rows, self.selected),
            _ => row.run.into_iter().collect(),
        };
        if runs.is_empty() {
            return None;
        }
        let open = !runs.iter().all(|r| self.unfolded.contains(r));
        for r in &runs {
            if open {
                self.unfolded.insert(*r);
            } else {
                self.unfolded.remove(r);
            }
        }
        self.follow = false;
        self.rebuild();
        let lines = self
            .rows
            .iter()
            .filter(|r| {
                matches!(r.kind, RowKind::Log(_)) && r.run.is_some_and(|x| runs.contains(&x))
            })
            .count();
        Some((open, lines))
    }
}
