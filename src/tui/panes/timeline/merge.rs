//! Events and log lines merged into the rows of one time axis (a pure function of what
//! was read): ordered by time; at the same instant a start comes before the lines and a
//! death after them; long runs of log lines between two events folded to the lines next
//! to the events, unless the run was unfolded.

use super::state::LogEntry;
use crate::engine::{Event, EventAction};
use chrono::{DateTime, Utc};
use std::collections::{HashSet, VecDeque};

/// Log lines shown next to an event when the run of lines between two events is folded.
pub const CONTEXT: usize = 3;

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// An event (its index in the events read).
    Event(usize),
    /// A log line (its sequence number).
    Log(u64),
    /// `hidden` log lines folded away.
    Fold {
        /// How many.
        hidden: usize,
    },
}

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// When (a fold: its first hidden line's time).
    pub time: DateTime<Utc>,
    /// What it shows.
    pub kind: RowKind,
    /// For log lines and folds: their run of lines, named by its first line's sequence
    /// number (what unfolding keeps).
    pub run: Option<u64>,
}

/// Where an event goes among log lines of the same instant: what begins a run of the
/// process before its lines (0), what ends it after them (2).
fn rank(action: EventAction) -> u8 {
    match action {
        EventAction::Create | EventAction::Start | EventAction::Restart | EventAction::Unpause => 0,
        _ => 2,
    }
}

/// The rows of `events` and `logs`, oldest first; runs of more than `2 * CONTEXT + 1`
/// lines between two events are folded unless their first line's number is in `unfolded`.
pub fn merge(events: &[Event], logs: &VecDeque<LogEntry>, unfolded: &HashSet<u64>) -> Vec<Row> {
    // (time, rank, order): the order keeps the journal's and the log's own order on ties.
    let mut items: Vec<(DateTime<Utc>, u8, u64, RowKind)> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.time, rank(e.action), i as u64, RowKind::Event(i)))
        .chain(logs.iter().map(|l| (l.time, 1, l.seq, RowKind::Log(l.seq))))
        .collect();
    items.sort_by_key(|a| (a.0, a.1, a.2));
    let mut rows = Vec::with_capacity(items.len());
    let mut run: Vec<(DateTime<Utc>, u64)> = Vec::new();
    for (time, _, _, kind) in items {
        match kind {
            RowKind::Log(seq) => run.push((time, seq)),
            _ => {
                push_run(&mut rows, &mut run, unfolded);
                rows.push(Row {
                    time,
                    kind,
                    run: None,
                });
            }
        }
    }
    push_run(&mut rows, &mut run, unfolded);
    rows
}

/// Adds one run of log lines (folded in the middle when long), and empties it.
fn push_run(rows: &mut Vec<Row>, run: &mut Vec<(DateTime<Utc>, u64)>, unfolded: &HashSet<u64>) {
    let Some(&(_, first)) = run.first() else {
        return;
    };
    let line = |&(time, seq): &(DateTime<Utc>, u64)| Row {
        time,
        kind: RowKind::Log(seq),
        run: Some(first),
    };
    if run.len() <= 2 * CONTEXT + 1 || unfolded.contains(&first) {
        rows.extend(run.iter().map(line));
    } else {
        let hidden = run.len() - 2 * CONTEXT;
        rows.extend(run[..CONTEXT].iter().map(line));
        rows.push(Row {
            time: run[CONTEXT].0,
            kind: RowKind::Fold { hidden },
            run: Some(first),
        });
        rows.extend(run[run.len() - CONTEXT..].iter().map(line));
    }
    run.clear();
}

/// The runs of log lines next to row `at` (an event): the one just before and the one
/// just after it.
pub fn runs_around(rows: &[Row], at: usize) -> Vec<u64> {
    let before = at
        .checked_sub(1)
        .and_then(|i| rows.get(i))
        .and_then(|r| r.run);
    let after = rows.get(at + 1).and_then(|r| r.run);
    before.into_iter().chain(after).collect()
}
