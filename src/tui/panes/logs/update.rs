//! `App::update` for the Logs pane's additions: search (`/`, `n`, `N`), the filter,
//! timestamps, wrapping, saving to a file, and the merged view of several containers.

use crate::engine::LogLine;
use crate::tui::action::{Effect, quote};
use crate::tui::app::{App, Pane, Popup, Prompt, PromptKind};
use crate::tui::keymap::UserAction;

impl App {
    /// `search_log`: asks for the text (the current search to edit).
    pub(crate) fn ask_search(&mut self) -> Vec<Effect> {
        self.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::Search,
            input: self.logs.search.clone().unwrap_or_default(),
        }));
        vec![]
    }

    /// The search prompt was confirmed with `text`.
    pub(crate) fn search_log(&mut self, text: &str) -> Vec<Effect> {
        let count = self.logs.set_search(text);
        if self.logs.search.is_none() {
            self.info("search cleared");
        } else if count == 0 {
            self.error(format!(
                "'{text}' is not in the {} loaded lines",
                self.logs.lines.len()
            ));
        } else {
            // n/N work in the Logs pane: searching takes the focus there.
            self.focus = Pane::Logs;
            self.detail = Pane::Logs;
            let next = self.keymap.keys_text(UserAction::NextMatch);
            let prev = self.keymap.keys_text(UserAction::PrevMatch);
            self.info(format!(
                "{count} lines match '{text}': {next} older, {prev} newer"
            ));
        }
        vec![]
    }

    /// `next_match` / `prev_match`.
    pub(crate) fn jump_match(&mut self, older: bool) -> Vec<Effect> {
        let Some(text) = self.logs.search.clone() else {
            let keys = self.keymap.keys_text(UserAction::SearchLog);
            self.error(format!("no search: press {keys} to search the log"));
            return vec![];
        };
        if !self.logs.jump(older) {
            let way = if older { "older" } else { "newer" };
            self.info(format!("no {way} line matches '{text}'"));
        }
        vec![]
    }

    /// `filter_log`: only matching lines, or all.
    pub(crate) fn toggle_filter(&mut self) -> Vec<Effect> {
        let Some(text) = self.logs.search.clone() else {
            let keys = self.keymap.keys_text(UserAction::SearchLog);
            self.error(format!(
                "search first ({keys}): the filter keeps the matching lines"
            ));
            return vec![];
        };
        self.logs.filter = !self.logs.filter;
        self.logs.bottom();
        if self.logs.filter {
            self.info(format!("only lines matching '{text}'"));
        } else {
            self.info("all lines");
        }
        vec![]
    }

    /// `toggle_timestamps` and `toggle_wrap`.
    pub(crate) fn toggle_log_view(&mut self, wrap: bool) -> Vec<Effect> {
        let (flag, what) = if wrap {
            (&mut self.logs.wrap, "wrapping long lines")
        } else {
            (&mut self.logs.timestamps, "showing times")
        };
        *flag = !*flag;
        let on = *flag;
        self.info(format!("{what}: {}", if on { "on" } else { "off" }));
        vec![]
    }

    /// The containers the Logs pane shows (the merged ones, or the followed one).
    fn log_containers(&self) -> Vec<String> {
        if self.logs.merged.is_empty() {
            self.logs.container.iter().cloned().collect()
        } else {
            self.logs.merged.clone()
        }
    }

    /// `save_log`: the whole log, as filtered and with times as shown, to a new file.
    pub(crate) fn save_log(&mut self) -> Vec<Effect> {
        let containers = self.log_containers();
        if containers.is_empty() {
            self.error("no log to save: select a container");
            return vec![];
        }
        let dir = self
            .settings
            .command_log_file
            .parent()
            .map(|d| d.join("logs"))
            .unwrap_or_default();
        let stamp = self.now.format("%Y%m%dT%H%M%S");
        let file = dir.join(format!("{}-{stamp}.log", containers.join("+")));
        let filter = self.logs.search.clone().filter(|_| self.logs.filter);
        let t = if self.logs.timestamps { "-t " } else { "" };
        let grep = filter
            .as_ref()
            .map(|f| {
                let i = if f.chars().any(|c| c.is_ascii_uppercase()) {
                    ""
                } else {
                    "i"
                };
                format!(" | grep -{i}F {}", quote(f))
            })
            .unwrap_or_default();
        let path = quote(&file.display().to_string());
        let line = if containers.len() == 1 {
            format!("berth logs {t}{}{grep} > {path}", quote(&containers[0]))
        } else {
            format!(
                "# merged by time: berth logs -t for each of {}{grep} > {path}",
                containers.join(", ")
            )
        };
        self.command_log.push(line);
        self.info(format!("saving the log to '{}'…", file.display()));
        vec![Effect::SaveLog {
            containers,
            file,
            timestamps: self.logs.timestamps,
            filter,
        }]
    }

    /// The save finished.
    pub(crate) fn log_saved(
        &mut self,
        result: Result<(std::path::PathBuf, usize), String>,
    ) -> Vec<Effect> {
        match result {
            Ok((path, n)) => self.info(format!("saved {n} lines to '{}'", path.display())),
            Err(e) => self.error(e),
        }
        vec![]
    }

    /// `mark_container`: marks or unmarks the selected container for the merged view.
    pub(crate) fn toggle_mark(&mut self) -> Vec<Effect> {
        let Some(name) = self.selected_container().map(|c| c.name().to_string()) else {
            self.error("no container selected");
            return vec![];
        };
        if let Some(i) = self.logs.marked.iter().position(|m| *m == name) {
            self.logs.marked.remove(i);
            self.info(format!("unmarked '{name}'"));
        } else {
            self.logs.marked.push(name.clone());
            let keys = self.keymap.keys_text(UserAction::MergeLogs);
            self.info(format!(
                "marked '{name}' ({} marked): {keys} shows their logs merged",
                self.logs.marked.len()
            ));
        }
        vec![]
    }

    /// `merge_logs`: the merged view of the marked containers (or of every running one),
    /// or back to the selected container's log.
    pub(crate) fn toggle_merged(&mut self) -> Vec<Effect> {
        if !self.logs.merged.is_empty() {
            let name = self.selected_container().map(|c| c.name().to_string());
            self.info("back to the selected container's log");
            let generation = self.logs.reset(name.clone());
            return vec![Effect::FollowLogs {
                container: name,
                generation,
                tail: self.settings.log_tail,
            }];
        }
        let names: Vec<String> = if self.logs.marked.is_empty() {
            self.containers
                .list
                .iter()
                .filter(|c| c.state.status.has_shim())
                .map(|c| c.name().to_string())
                .collect()
        } else {
            let listed = |m: &String| self.containers.list.iter().any(|c| c.name() == m);
            self.logs
                .marked
                .iter()
                .filter(|m| listed(m))
                .cloned()
                .collect()
        };
        if names.is_empty() {
            let keys = self.keymap.keys_text(UserAction::MarkContainer);
            self.error(format!(
                "nothing to merge: mark containers with {keys}, or start some"
            ));
            return vec![];
        }
        self.detail = Pane::Logs;
        let tail = self.settings.log_tail;
        self.command_log.push(format!(
            "# merged by time: berth logs -f --tail {tail} for each of {}",
            names.join(", ")
        ));
        self.info(format!("merged log of {}", names.join(", ")));
        let generation = self.logs.reset_merged(names.clone());
        vec![Effect::FollowMerged {
            containers: names,
            generation,
            tail,
        }]
    }

    /// Lines of one container of the merged view.
    pub(crate) fn merged_lines(
        &mut self,
        generation: u64,
        source: usize,
        lines: Vec<LogLine>,
    ) -> Vec<Effect> {
        if generation == self.logs.generation && !self.logs.merged.is_empty() {
            self.logs.push_from(source, &lines);
        }
        vec![]
    }

    /// Lines from the log follower of `generation` (a stale one's are dropped).
    pub(crate) fn log_lines(&mut self, generation: u64, lines: Vec<LogLine>) -> Vec<Effect> {
        if generation == self.logs.generation {
            self.logs.push(&lines);
        }
        vec![]
    }

    /// The log follower of `generation` stopped (with the error, if it failed).
    pub(crate) fn log_ended(&mut self, generation: u64, error: Option<String>) -> Vec<Effect> {
        if generation == self.logs.generation {
            self.logs.ended = true;
            self.logs.error = error;
        }
        vec![]
    }

    /// Starts following the selected container's log when the selection changed.
    pub(crate) fn follow_selected(&mut self) -> Vec<Effect> {
        let name = self.selected_container().map(|c| c.name().to_string());
        // The merged view stays until it is left (merge_logs again).
        if name == self.logs.container || !self.logs.merged.is_empty() {
            return vec![];
        }
        self.restart_follow(name)
    }

    /// Follows `name`'s log (or none) as a new generation.
    pub(crate) fn restart_follow(&mut self, name: Option<String>) -> Vec<Effect> {
        let generation = self.logs.reset(name.clone());
        vec![Effect::FollowLogs {
            container: name,
            generation,
            tail: self.settings.log_tail,
        }]
    }

    /// `toggle_follow`: pauses the view (new lines are still kept) or follows again.
    pub(crate) fn toggle_follow(&mut self) -> Vec<Effect> {
        if self.logs.follow {
            self.logs.follow = false;
            self.info("log paused: new lines are kept but the view stays");
        } else {
            self.logs.bottom();
            self.info("following the log");
        }
        vec![]
    }
}
