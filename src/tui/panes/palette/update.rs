//! `App::update` for the palette: opening it, typing, completing, going through the
//! history, and what a line does when entered: a view opens, a berth command runs in the
//! background (recorded in the command log), anything else is answered in one line.

use super::complete::{Names, complete};
use super::state::{CommandOutput, Meaning, View, meaning};
use crate::tui::action::{Effect, quote};
use crate::tui::app::{App, Pane, Popup};
use crate::tui::keymap::UserAction;
use crate::tui::keys::Key;
use crate::tui::panes::shell::state::ShellKind;
use crossterm::event::{KeyCode, KeyModifiers};

/// `words` with the value of `-p`/`--password` replaced by `***` (the command log is
/// copied and saved), and whether one was.
pub(crate) fn masked(words: &[String]) -> (Vec<String>, bool) {
    let mut out = Vec::with_capacity(words.len());
    let mut hide_next = false;
    let mut hid = false;
    for w in words {
        if hide_next {
            out.push("***".to_string());
            hide_next = false;
            hid = true;
        } else if w == "-p" || w == "--password" {
            hide_next = words.first().is_some_and(|f| f == "login");
            out.push(w.clone());
        } else if let Some(rest) = w.strip_prefix("--password=")
            && !rest.is_empty()
        {
            out.push("--password=***".to_string());
            hid = true;
        } else {
            out.push(w.clone());
        }
    }
    (out, hid)
}

impl App {
    /// `command_palette`: opens the prompt at the bottom.
    pub(crate) fn open_palette(&mut self) -> Vec<Effect> {
        self.stop_filter_editing();
        let p = &mut self.palette;
        p.open = true;
        p.input.clear();
        p.history_at = None;
        p.candidates.clear();
        vec![]
    }

    /// Keys while the palette is open (all of them are its own).
    pub(crate) fn palette_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        if !self.palette.open || self.popup.is_some() {
            return None;
        }
        let p = &mut self.palette;
        match key.code {
            KeyCode::Char(c) if key.mods == KeyModifiers::NONE => {
                p.input.push(c);
                p.history_at = None;
                p.candidates.clear();
            }
            KeyCode::Backspace if p.input.is_empty() => p.open = false,
            KeyCode::Backspace => {
                p.input.pop();
                p.candidates.clear();
            }
            KeyCode::Esc => p.open = false,
            KeyCode::Tab => {
                let names = self.palette_names();
                let p = &mut self.palette;
                let (text, offered) = complete(&p.input, &names);
                p.input = text;
                p.candidates = offered;
            }
            KeyCode::Up => p.browse(true),
            KeyCode::Down => p.browse(false),
            KeyCode::Enter => return Some(self.enter_palette()),
            _ => {}
        }
        Some(vec![])
    }

    /// The names completion offers.
    fn palette_names(&self) -> Names {
        let mut images: Vec<String> = self
            .images
            .rows
            .iter()
            .filter_map(|r| r.reference.clone())
            .collect();
        images.dedup();
        Names {
            containers: self
                .containers
                .list
                .iter()
                .map(|c| c.name().to_string())
                .collect(),
            images,
            networks: self
                .networks
                .networks
                .iter()
                .map(|n| n.name.clone())
                .collect(),
        }
    }

    /// Enter: the line is remembered and done.
    fn enter_palette(&mut self) -> Vec<Effect> {
        let line = self.palette.input.trim().to_string();
        self.palette.open = false;
        self.palette.candidates.clear();
        if line.is_empty() {
            return vec![];
        }
        let meant = meaning(&line);
        // A password typed in a line is not kept (nor saved).
        if !matches!(&meant, Meaning::Command(w) if masked(w).1) {
            self.palette.remember(&line);
        }
        let mut effects = Vec::new();
        if let Some(file) = self.palette.history_file.clone() {
            effects.push(Effect::SaveHistory {
                text: self.palette.history_text(),
                file,
            });
        }
        match meant {
            Meaning::View(v) => effects.extend(self.open_view(v)),
            Meaning::NotAvailable(why) => self.error(why),
            Meaning::Invalid(why) => self.error(format!(":{line}: {why}")),
            Meaning::Command(words) => effects.extend(self.run_command(words)),
        }
        effects
    }

    /// Opens view `v` (the keys' own actions, after selecting the container named).
    fn open_view(&mut self, v: View) -> Vec<Effect> {
        let (name, action) = match v {
            View::Containers => {
                self.focus = Pane::Containers;
                return vec![];
            }
            View::Images => return self.navigate(UserAction::FocusImages).unwrap_or_default(),
            View::Networks => {
                return self.navigate(UserAction::FocusNetworks).unwrap_or_default();
            }
            View::Help => {
                self.popup = Some(Popup::Help);
                self.help_scroll = 0;
                return vec![];
            }
            View::Quit => return self.user(UserAction::Quit),
            View::Volumes => return self.open_volumes(),
            View::Topology => {
                return self.navigate(UserAction::FocusTopology).unwrap_or_default();
            }
            View::Inspect(None) => return self.open_inspect(),
            View::Inspect(Some(name)) => {
                return vec![Effect::Inspect { kind: None, name }];
            }
            View::Diff(n) => (n, UserAction::FocusChanges),
            View::Timeline(n) => (n, UserAction::FocusTimeline),
            View::Logs(n) => (n, UserAction::FocusLogs),
            View::Stats(n) => (n, UserAction::FocusStats),
            View::Top(n) => (n, UserAction::FocusTop),
            View::Shell(n) => (n, UserAction::ExecShell),
        };
        let mut effects = match name {
            Some(n) => match self.select_container_named(&n) {
                Some(e) => e,
                None => {
                    self.error(format!("no container '{n}'"));
                    return vec![];
                }
            },
            None if self.selected_container().is_none() => {
                self.error("no container selected: name one, e.g. ':logs web'");
                return vec![];
            }
            None => vec![],
        };
        if self.focus.is_full_screen() {
            self.focus = Pane::Containers;
        }
        effects.extend(match action {
            UserAction::ExecShell => self.open_shell(ShellKind::Exec),
            a => self.navigate(a).unwrap_or_default(),
        });
        effects
    }

    /// Selects the container named `name` (or whose id starts with it), clearing a filter
    /// that hides it; `None` when there is none.
    fn select_container_named(&mut self, name: &str) -> Option<Vec<Effect>> {
        let list = &self.containers.list;
        let i = list
            .iter()
            .position(|c| c.name() == name)
            .or_else(|| list.iter().position(|c| c.id().starts_with(name)))?;
        if !self.containers.shows(&self.containers.list[i]) {
            self.containers.filter = Default::default();
        }
        self.containers.selected = i;
        Some(self.follow_selected())
    }

    /// Runs `berth WORDS` in the background, recorded in the command log.
    fn run_command(&mut self, words: Vec<String>) -> Vec<Effect> {
        let line = std::iter::once("berth".to_string())
            .chain(masked(&words).0.iter().map(|w| quote(w)))
            .collect::<Vec<_>>()
            .join(" ");
        self.command_log.push(line.clone());
        self.palette.running.push(line.clone());
        self.info(format!("running '{line}'…"));
        let mut argv = self.settings.cli_args.clone();
        argv.extend(words);
        vec![Effect::RunCommand { argv, line }]
    }

    /// A command line run from the palette ended: its output in the status bar (one
    /// line) or a popup (more), a failure in the command log too; the lists it may have
    /// changed are read again.
    pub(crate) fn command_finished(
        &mut self,
        line: String,
        result: Result<CommandOutput, String>,
    ) -> Vec<Effect> {
        if let Some(i) = self.palette.running.iter().position(|l| *l == line) {
            self.palette.running.remove(i);
        }
        match result {
            Err(e) => {
                self.command_log.push(format!("#   failed: {e}"));
                self.error(format!("{line}: {e}"));
            }
            Ok(out) => self.show_output(&line, out),
        }
        vec![
            Effect::RefreshContainers,
            Effect::ListImages,
            Effect::RefreshNetworks,
        ]
    }

    fn show_output(&mut self, line: &str, out: CommandOutput) {
        let failed = out.code != Some(0);
        let lines: Vec<String> = out
            .stdout
            .lines()
            .chain(out.stderr.lines())
            .map(|l| crate::engine::printable(l).into_owned())
            .collect();
        if failed {
            let why = out
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| match out.code {
                    Some(c) => format!("exit status {c}"),
                    None => "ended by a signal".to_string(),
                });
            self.command_log.push(format!("#   failed: {why}"));
        }
        if lines.len() <= 1 || self.popup.is_some() {
            let text = match lines.first() {
                Some(l) if lines.len() == 1 => format!("{line}: {l}"),
                Some(_) => format!("{line}: {} lines of output", lines.len()),
                None if failed => format!("{line}: failed"),
                None => format!("{line}: done"),
            };
            if failed {
                self.error(text);
            } else {
                self.info(text);
            }
            return;
        }
        self.info(format!("{line}: {} lines of output", lines.len()));
        self.popup = Some(Popup::Output {
            title: line.to_string(),
            lines,
            failed,
        });
        self.help_scroll = 0;
    }
}
