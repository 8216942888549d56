//! `App::update` for the Timeline pane: opening it, which container its watcher follows,
//! events, log lines and samples arriving, and `enter` on a row.

use super::state::Sample;
use crate::engine::{Event, LogLine, StatsSample};
use crate::tui::action::{Effect, quote};
use crate::tui::app::{App, Pane};

impl App {
    /// `focus_timeline`: shows the selected container's timeline under the list, and logs
    /// the commands that print the same.
    pub(crate) fn open_timeline(&mut self) -> Vec<Effect> {
        if self.focus != Pane::Timeline
            && let Some(n) = self.selected_container().map(|c| quote(c.name()))
        {
            self.command_log
                .push(format!("berth events --since 0 --filter container={n}"));
            self.command_log.push(format!("berth logs -t {n}"));
        }
        self.focus_pane(Pane::Timeline)
    }

    /// The watcher follows the selected container while the pane shows; a new container
    /// starts with the CPU and memory history the Stats pane already keeps.
    pub(crate) fn sync_timeline_watcher(&mut self) -> Vec<Effect> {
        let visible = !matches!(self.focus, Pane::Images | Pane::Networks | Pane::Volumes)
            && self.detail == Pane::Timeline;
        let want = match self.selected_container() {
            Some(c) if visible => Some((c.id().to_string(), c.name().to_string())),
            _ => None,
        };
        if want.as_ref().map(|w| &w.0) == self.timeline.id.as_ref() {
            return vec![];
        }
        let id = want.as_ref().map(|w| w.0.clone());
        let generation = self.timeline.reset(want, self.settings.log_buffer);
        if let Some(id) = &id {
            let points = self.metrics.window_live(id, self.metrics.capacity);
            let n = points.len() as i64;
            for (i, p) in points.iter().enumerate() {
                self.timeline.add_sample(Sample {
                    time: self.now - chrono::Duration::seconds(n - 1 - i as i64),
                    cpu: p.cpu,
                    mem: p.mem,
                });
            }
        }
        vec![Effect::WatchTimeline {
            container: id,
            generation,
            tail: self.settings.log_buffer,
        }]
    }

    /// Events from the watcher of `generation` (older ones are dropped).
    pub(crate) fn timeline_events(
        &mut self,
        generation: u64,
        result: Result<Vec<Event>, String>,
    ) -> Vec<Effect> {
        if generation == self.timeline.generation {
            match result {
                Ok(events) => self.timeline.add_events(events),
                Err(e) => self.timeline.error = Some(e),
            }
        }
        vec![]
    }

    /// Log lines from the watcher of `generation`.
    pub(crate) fn timeline_lines(&mut self, generation: u64, lines: Vec<LogLine>) -> Vec<Effect> {
        if generation == self.timeline.generation {
            self.timeline.add_lines(lines);
        }
        vec![]
    }

    /// Whether a round of the stats sampler has a reading of the watched container.
    pub(crate) fn timeline_in(&self, samples: &[StatsSample]) -> bool {
        self.timeline
            .id
            .as_ref()
            .is_some_and(|id| samples.iter().any(|s| s.id.as_str() == id && s.running))
    }

    /// After such a round: the newest point of the Stats pane's history, at this time.
    pub(crate) fn timeline_sampled(&mut self) {
        let Some(id) = self.timeline.id.as_deref() else {
            return;
        };
        if let Some(p) = self.metrics.latest(id).copied() {
            self.timeline.add_sample(Sample {
                time: self.now,
                cpu: p.cpu,
                mem: p.mem,
            });
        }
    }

    /// The movement keys in the Timeline pane.
    pub(crate) fn timeline_move(&mut self, delta: isize) -> Vec<Effect> {
        let area = ratatui::layout::Rect::new(0, 0, self.width, self.height);
        let rows = crate::tui::ui::layout::detail_area(self, area)
            .height
            .saturating_sub(2);
        self.timeline.move_by(delta, usize::from(rows));
        vec![]
    }

    /// `expand_timeline` (enter): the log lines around the selected event, shown or
    /// folded again.
    pub(crate) fn timeline_enter(&mut self) -> Vec<Effect> {
        match self.timeline.toggle() {
            Some((true, n)) => self.info(format!("{n} log lines around it")),
            Some((false, _)) => self.info("log lines folded"),
            None => self.info("no log lines around it"),
        }
        vec![]
    }
}
