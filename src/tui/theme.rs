//! Themes: semantic roles (`title_focused`, `status_running`) mapped to styles, read from
//! YAML. Widgets ask for a role, never for a colour.
//!
//! Built-in presets live in `themes/` and are embedded. `dashboard.theme` names a preset, a
//! file in `~/.config/berth/themes/`, or a path; a user file holds only overrides over the
//! preset named by its optional `extends:` key (default `default`).

use ratatui::style::{Color, Modifier, Style};
use serde_yaml_ng::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The built-in presets: name and YAML text.
pub const PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
];

/// What a style is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Title of an unfocused pane.
    Title,
    /// Title of the focused pane.
    TitleFocused,
    /// Border of an unfocused pane.
    Border,
    /// Border of the focused pane.
    BorderFocused,
    /// Table headers.
    Header,
    /// Plain text.
    Text,
    /// Secondary text (hints, ids, end-of-log markers).
    Dim,
    /// The selected row.
    Selection,
    /// A running container.
    StatusRunning,
    /// An exited container.
    StatusExited,
    /// A paused container.
    StatusPaused,
    /// A created (never started) container.
    StatusCreated,
    /// A restarting container, and one the dashboard is stopping, starting or removing.
    StatusRestarting,
    /// A dead or removing container.
    StatusDead,
    /// Marker and default colour of stderr log lines.
    LogStderr,
    /// Keys in the help popup.
    HelpKey,
    /// Descriptions in the help popup.
    HelpText,
    /// Error messages.
    Error,
    /// Informational messages.
    Info,
    /// Lines of the command log.
    CommandLog,
    /// The status bar background.
    StatusBar,
    /// Popup body.
    Dialog,
    /// The CPU chart and the CPU sparklines.
    ChartCpu,
    /// The memory chart and the memory sparklines.
    ChartMemory,
    /// Received bytes in the network chart.
    ChartRx,
    /// Sent bytes in the network chart.
    ChartTx,
    /// Bytes read in the block I/O chart.
    ChartRead,
    /// Bytes written in the block I/O chart.
    ChartWrite,
    /// A file a layer added.
    FileAdded,
    /// A file a layer changed (replaced).
    FileChanged,
    /// A file a layer removed.
    FileRemoved,
    /// The wasted-space line of the file tree.
    Wasted,
    /// The text typed in a prompt.
    PromptInput,
    /// The cursor of the Shell pane (on an empty cell; over text it reverses the text).
    ShellCursor,
    /// A search match in the log.
    SearchMatch,
    /// The current search match.
    SearchCurrent,
    /// Container names in the merged log view, in turn.
    LogSource1,
    /// The second container's name.
    LogSource2,
    /// The third container's name.
    LogSource3,
    /// The fourth container's name.
    LogSource4,
    /// The fifth container's name.
    LogSource5,
    /// The sixth container's name.
    LogSource6,
}

/// Every role with its YAML key.
pub const ROLES: &[(Role, &str)] = &[
    (Role::Title, "title"),
    (Role::TitleFocused, "title_focused"),
    (Role::Border, "border"),
    (Role::BorderFocused, "border_focused"),
    (Role::Header, "header"),
    (Role::Text, "text"),
    (Role::Dim, "dim"),
    (Role::Selection, "selection"),
    (Role::StatusRunning, "status_running"),
    (Role::StatusExited, "status_exited"),
    (Role::StatusPaused, "status_paused"),
    (Role::StatusCreated, "status_created"),
    (Role::StatusRestarting, "status_restarting"),
    (Role::StatusDead, "status_dead"),
    (Role::LogStderr, "log_stderr"),
    (Role::HelpKey, "help_key"),
    (Role::HelpText, "help_text"),
    (Role::Error, "error"),
    (Role::Info, "info"),
    (Role::CommandLog, "command_log"),
    (Role::StatusBar, "status_bar"),
    (Role::Dialog, "dialog"),
    (Role::ChartCpu, "chart_cpu"),
    (Role::ChartMemory, "chart_memory"),
    (Role::ChartRx, "chart_rx"),
    (Role::ChartTx, "chart_tx"),
    (Role::ChartRead, "chart_read"),
    (Role::ChartWrite, "chart_write"),
    (Role::FileAdded, "file_added"),
    (Role::FileChanged, "file_changed"),
    (Role::FileRemoved, "file_removed"),
    (Role::Wasted, "wasted"),
    (Role::PromptInput, "prompt_input"),
    (Role::ShellCursor, "shell_cursor"),
    (Role::SearchMatch, "search_match"),
    (Role::SearchCurrent, "search_current"),
    (Role::LogSource1, "log_source_1"),
    (Role::LogSource2, "log_source_2"),
    (Role::LogSource3, "log_source_3"),
    (Role::LogSource4, "log_source_4"),
    (Role::LogSource5, "log_source_5"),
    (Role::LogSource6, "log_source_6"),
];

/// A complete theme: one style per role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theme {
    styles: BTreeMap<Role, Style>,
}

impl Theme {
    /// The style for `role` (the terminal's default when the theme leaves it out).
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(&role).copied().unwrap_or_default()
    }

    /// A built-in preset by name.
    pub fn preset(name: &str) -> Result<Theme, String> {
        let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
            return Err(format!(
                "unknown theme '{name}': use one of {} or a path to a .yaml file",
                PRESETS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let mut theme = Theme::default();
        theme.apply_yaml(text, &format!("themes/{name}.yaml"))?;
        Ok(theme)
    }

    /// Resolves `dashboard.theme`: a preset name, a theme in `user_dir`, or a path.
    pub fn load(spec: &str, user_dir: &Path) -> Result<Theme, String> {
        let looks_like_path =
            spec.contains('/') || spec.ends_with(".yaml") || spec.ends_with(".yml");
        if !looks_like_path {
            let user_file = user_dir.join(format!("{spec}.yaml"));
            if user_file.is_file() {
                return Theme::from_file(&user_file);
            }
            return Theme::preset(spec);
        }
        Theme::from_file(&PathBuf::from(spec))
    }

    /// Reads a user theme file: overrides over the preset its `extends:` names.
    pub fn from_file(path: &Path) -> Result<Theme, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read theme '{}': {e}", path.display()))?;
        let origin = path.display().to_string();
        let doc: Value =
            serde_yaml_ng::from_str(&text).map_err(|e| format!("theme '{origin}': {e}"))?;
        let base = match doc.get("extends") {
            None => "default".to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(format!(
                    "theme '{origin}': key 'extends': must be a preset name"
                ));
            }
        };
        let mut theme =
            Theme::preset(&base).map_err(|e| format!("theme '{origin}': key 'extends': {e}"))?;
        theme.apply_yaml(&text, &origin)?;
        Ok(theme)
    }

    /// Applies the roles set in `text` over this theme. `origin` names the file in errors.
    pub fn apply_yaml(&mut self, text: &str, origin: &str) -> Result<(), String> {
        let doc: Value =
            serde_yaml_ng::from_str(text).map_err(|e| format!("theme '{origin}': {e}"))?;
        let map = match doc {
            Value::Mapping(m) => m,
            Value::Null => return Ok(()),
            _ => {
                return Err(format!(
                    "theme '{origin}': expected a mapping of role: style"
                ));
            }
        };
        for (k, v) in map {
            let key = k.as_str().unwrap_or_default().to_string();
            if key == "extends" {
                continue;
            }
            let Some((role, _)) = ROLES.iter().find(|(_, n)| *n == key) else {
                return Err(format!(
                    "theme '{origin}': unknown key '{key}'; roles are {}",
                    ROLES.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
                ));
            };
            let style = parse_style(&v).map_err(|(sub, e)| {
                let path = if sub.is_empty() {
                    key.clone()
                } else {
                    format!("{key}.{sub}")
                };
                format!("theme '{origin}': key '{path}': {e}")
            })?;
            self.styles.insert(*role, style);
        }
        Ok(())
    }
}

/// Parses `red` (foreground only) or `{fg: red, bg: "#101010", modifiers: [bold]}`.
/// Errors carry the sub-key that was wrong.
fn parse_style(v: &Value) -> Result<Style, (String, String)> {
    match v {
        Value::String(s) => {
            Ok(Style::default().fg(parse_color(s).map_err(|e| (String::new(), e))?))
        }
        Value::Mapping(m) => {
            let mut style = Style::default();
            for (k, v) in m {
                let key = k.as_str().unwrap_or_default();
                match key {
                    "fg" | "bg" => {
                        let s =
                            scalar(v).ok_or((key.to_string(), "expected a colour".to_string()))?;
                        let c = parse_color(&s).map_err(|e| (key.to_string(), e))?;
                        style = if key == "fg" {
                            style.fg(c)
                        } else {
                            style.bg(c)
                        };
                    }
                    "modifiers" => {
                        let list = match v {
                            Value::Sequence(s) => s.iter().filter_map(scalar).collect(),
                            other => scalar(other).map(|s| vec![s]).unwrap_or_default(),
                        };
                        for m in list {
                            style = style.add_modifier(
                                parse_modifier(&m).map_err(|e| ("modifiers".to_string(), e))?,
                            );
                        }
                    }
                    other => {
                        return Err((
                            other.to_string(),
                            "unknown key; use fg, bg or modifiers".to_string(),
                        ));
                    }
                }
            }
            Ok(style)
        }
        _ => Err((
            String::new(),
            "expected a colour or a mapping with fg, bg, modifiers".to_string(),
        )),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses a colour: a name (`red`, `light_blue`, `dark_gray`, `reset`), `#rrggbb` or 0-255.
pub fn parse_color(s: &str) -> Result<Color, String> {
    Color::from_str(s.trim()).map_err(|_| {
        format!("unknown colour '{s}'; use a name (red, light_blue, dark_gray, reset...), #rrggbb or 0-255")
    })
}

fn parse_modifier(s: &str) -> Result<Modifier, String> {
    Ok(match s.trim().to_ascii_lowercase().as_str() {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        "slow_blink" => Modifier::SLOW_BLINK,
        "rapid_blink" => Modifier::RAPID_BLINK,
        "hidden" => Modifier::HIDDEN,
        _ => {
            return Err(format!(
                "unknown modifier '{s}'; use bold, dim, italic, underlined, reversed, crossed_out, slow_blink, rapid_blink or hidden"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_define_every_role() {
        for (name, text) in PRESETS {
            let doc: Value = serde_yaml_ng::from_str(text).expect("yaml");
            for (_, role) in ROLES {
                assert!(doc.get(*role).is_some(), "preset '{name}' lacks '{role}'");
            }
            Theme::preset(name).expect("preset parses");
        }
        assert!(Theme::preset("neon").is_err());
    }

    #[test]
    fn user_file_overrides_and_errors_name_file_and_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("mine.yaml");
        std::fs::write(
            &p,
            "extends: light\nstatus_running: {fg: \"#00ff00\", modifiers: [bold]}\n",
        )
        .expect("write");
        let t = Theme::load(p.to_str().expect("utf8"), dir.path()).expect("load");
        assert_eq!(
            t.style(Role::StatusRunning),
            Style::default()
                .fg(Color::Rgb(0, 255, 0))
                .add_modifier(Modifier::BOLD)
        );
        let light = Theme::preset("light").expect("light");
        assert_eq!(t.style(Role::Error), light.style(Role::Error));
        // A name finds the file in the user theme directory.
        let by_name = Theme::load("mine", dir.path()).expect("by name");
        assert_eq!(by_name, t);

        std::fs::write(&p, "status_running: {fg: gren}\n").expect("write");
        let err = Theme::from_file(&p).expect_err("bad colour");
        assert!(
            err.contains("mine.yaml") && err.contains("status_running.fg") && err.contains("gren"),
            "{err}"
        );
        std::fs::write(&p, "status_runing: red\n").expect("write");
        let err = Theme::from_file(&p).expect_err("bad role");
        assert!(
            err.contains("mine.yaml") && err.contains("status_runing"),
            "{err}"
        );
        std::fs::write(&p, "error: {fg: red, modifiers: [blinky]}\n").expect("write");
        let err = Theme::from_file(&p).expect_err("bad modifier");
        assert!(
            err.contains("error.modifiers") && err.contains("blinky"),
            "{err}"
        );
    }
}
