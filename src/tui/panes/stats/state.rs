//! The Stats pane's state: per container, a bounded ring of points (CPU %, memory, and
//! per-second rates of network and block I/O) made from successive engine samples, and
//! how far back the charts are scrolled.

use crate::engine::{ContainerId, StatsSample};
use std::collections::{HashMap, VecDeque};

/// Points kept per container: 10 minutes at one sample a second.
pub const HISTORY: usize = 600;

/// The Stats pane's charts, in the order of its tab row.
pub const CHARTS: [&str; 4] = ["CPU", "Memory", "Network", "Block I/O"];

/// One second of a container's life.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Point {
    /// CPU in percent of one CPU.
    pub cpu: f64,
    /// Memory in use, bytes.
    pub mem: u64,
    /// The memory limit, bytes (the host's memory when the container has none).
    pub mem_limit: u64,
    /// Whether the container has a memory limit of its own.
    pub mem_limited: bool,
    /// Bytes received per second.
    pub rx: f64,
    /// Bytes sent per second.
    pub tx: f64,
    /// Bytes read from disk per second.
    pub read: f64,
    /// Bytes written to disk per second.
    pub write: f64,
    /// Processes.
    pub pids: u64,
}

impl Point {
    /// Memory in percent of the limit.
    pub fn mem_percent(&self) -> f64 {
        if self.mem_limit == 0 {
            0.0
        } else {
            self.mem as f64 / self.mem_limit as f64 * 100.0
        }
    }
}

/// One container's history.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Oldest first, at most the capacity.
    pub points: VecDeque<Point>,
    last: Option<StatsSample>,
}

/// Every container's history.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// Histories by container id.
    pub series: HashMap<ContainerId, Series>,
    /// Points kept per container.
    pub capacity: usize,
    /// How many points before the newest the charts end (0: live).
    pub offset: usize,
    /// Whether the sampler runs.
    pub watching: bool,
    /// The chart shown first when not all four fit (index into [`CHARTS`]).
    pub chart: usize,
}

impl Metrics {
    /// Empty histories of `capacity` points each.
    pub fn new(capacity: usize) -> Metrics {
        Metrics {
            series: HashMap::new(),
            capacity: capacity.max(1),
            offset: 0,
            watching: false,
            chart: 0,
        }
    }

    /// Adds a round of samples: each container's second sample onwards makes a point.
    /// While scrolled back, the view stays on the same moment.
    pub fn push(&mut self, samples: Vec<StatsSample>, selected: Option<&str>) {
        for s in samples {
            let series = self.series.entry(s.id.clone()).or_default();
            if let Some(prev) = series.last.as_ref().filter(|_| s.running) {
                let secs = match (prev.at, s.at) {
                    (Some(a), Some(b)) => b.saturating_duration_since(a).as_secs_f64(),
                    _ => 0.0,
                };
                let rate = |now: u64, before: u64| {
                    if secs > 0.0 {
                        now.saturating_sub(before) as f64 / secs
                    } else {
                        0.0
                    }
                };
                let point = Point {
                    cpu: s.cpu_percent(prev),
                    mem: s.memory_usage,
                    mem_limit: s.memory_limit,
                    mem_limited: s.memory_limited,
                    rx: rate(s.net_rx, prev.net_rx),
                    tx: rate(s.net_tx, prev.net_tx),
                    read: rate(s.block_read, prev.block_read),
                    write: rate(s.block_write, prev.block_write),
                    pids: s.pids,
                };
                if series.points.len() == self.capacity {
                    series.points.pop_front();
                }
                series.points.push_back(point);
                if self.offset > 0 && selected == Some(s.id.as_str()) {
                    self.offset = (self.offset + 1).min(series.points.len() - 1);
                }
            }
            series.last = s.running.then_some(s);
        }
    }

    /// Drops the histories of containers that are gone.
    pub fn retain(&mut self, ids: &[&str]) {
        self.series.retain(|id, _| ids.contains(&id.as_str()));
    }

    /// The newest point of `id`.
    pub fn latest(&self, id: &str) -> Option<&Point> {
        self.series.get(id)?.points.back()
    }

    /// Up to `width` points of `id` ending `offset` points before the newest.
    pub fn window(&self, id: &str, width: usize) -> Vec<Point> {
        let Some(s) = self.series.get(id) else {
            return Vec::new();
        };
        let end = s.points.len().saturating_sub(self.offset);
        let start = end.saturating_sub(width);
        s.points.range(start..end).copied().collect()
    }

    /// The newest `width` points of `id`, whatever the scroll position (sparklines).
    pub fn window_live(&self, id: &str, width: usize) -> Vec<Point> {
        let Some(s) = self.series.get(id) else {
            return Vec::new();
        };
        let start = s.points.len().saturating_sub(width);
        s.points.range(start..).copied().collect()
    }

    /// Scrolls the charts `delta` points back (negative: forward), within `id`'s history.
    pub fn scroll(&mut self, id: Option<&str>, delta: isize) {
        let len = id
            .and_then(|id| self.series.get(id))
            .map_or(0, |s| s.points.len());
        self.offset = self
            .offset
            .saturating_add_signed(delta)
            .min(len.saturating_sub(1));
    }
}

/// Eight-level bars for `values`, scaled to `max` (`▁▃▇`), at most `width` of the newest.
pub fn spark(values: &[f64], max: f64, width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let start = values.len().saturating_sub(width);
    values[start..]
        .iter()
        .map(|v| {
            let f = if max > 0.0 {
                (v / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            BARS[((f * 7.0).round() as usize).min(7)]
        })
        .collect()
}
