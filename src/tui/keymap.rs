//! The keymap as data: every named action with its default keys and the line the help
//! popup shows for it. User bindings (`dashboard.keys`) replace an action's defaults.
//!
//! The help popup, `config.example.yaml` and key lookup all read [`BINDINGS`], so they
//! cannot drift apart.

use super::keys::Key;
use std::collections::BTreeMap;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The panes, with no popup open.
    Main,
    /// A popup (help or a confirmation) is open.
    Popup,
}

/// What a user can ask for with a key. The config name is the snake_case of the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserAction {
    /// Select the next container, or scroll the log down.
    MoveDown,
    /// Select the previous container, or scroll the log up.
    MoveUp,
    /// Move a page down.
    PageDown,
    /// Move a page up.
    PageUp,
    /// Go to the first container or the oldest log line.
    GoTop,
    /// Go to the last container or the newest log line (and follow).
    GoBottom,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus the selected container's log.
    FocusLogs,
    /// Toggle following new log lines.
    ToggleFollow,
    /// Stop the selected container.
    StopContainer,
    /// Start the selected container.
    StartContainer,
    /// Restart the selected container.
    RestartContainer,
    /// Remove the selected container (asks first).
    RemoveContainer,
    /// Copy the command log to the clipboard and save it to a file.
    CopyCommandLog,
    /// Show or hide the help.
    Help,
    /// Leave the dashboard.
    Quit,
    /// Close the open popup.
    ClosePopup,
    /// Answer yes in a confirmation.
    Confirm,
    /// Answer no in a confirmation.
    Cancel,
}

/// One row of the keymap table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The action.
    pub action: UserAction,
    /// Its config name (snake_case).
    pub name: &'static str,
    /// Default keys.
    pub keys: &'static [&'static str],
    /// Where it applies.
    pub scope: Scope,
    /// One line for the help popup.
    pub desc: &'static str,
}

macro_rules! b {
    ($a:ident, $n:literal, [$($k:literal),*], $s:ident, $d:literal) => {
        Binding { action: UserAction::$a, name: $n, keys: &[$($k),*], scope: Scope::$s, desc: $d }
    };
}

/// Every action, in help order, with its defaults.
pub const BINDINGS: &[Binding] = &[
    b!(
        MoveDown,
        "move_down",
        ["j", "down"],
        Main,
        "next container / scroll log down"
    ),
    b!(
        MoveUp,
        "move_up",
        ["k", "up"],
        Main,
        "previous container / scroll log up"
    ),
    b!(
        PageDown,
        "page_down",
        ["pagedown", "ctrl-d"],
        Main,
        "a page down"
    ),
    b!(PageUp, "page_up", ["pageup", "ctrl-u"], Main, "a page up"),
    b!(
        GoTop,
        "go_top",
        ["g", "home"],
        Main,
        "first container / oldest log line"
    ),
    b!(
        GoBottom,
        "go_bottom",
        ["G", "end"],
        Main,
        "last container / newest log line, follow"
    ),
    b!(NextPane, "next_pane", ["tab"], Main, "focus the next pane"),
    b!(
        PrevPane,
        "prev_pane",
        ["backtab"],
        Main,
        "focus the previous pane"
    ),
    b!(
        FocusLogs,
        "focus_logs",
        ["enter"],
        Main,
        "show the selected container's log"
    ),
    b!(
        ToggleFollow,
        "toggle_follow",
        ["f"],
        Main,
        "follow new log lines on/off"
    ),
    b!(
        StopContainer,
        "stop_container",
        ["s"],
        Main,
        "stop the container"
    ),
    b!(
        StartContainer,
        "start_container",
        ["S"],
        Main,
        "start the container"
    ),
    b!(
        RestartContainer,
        "restart_container",
        ["r"],
        Main,
        "restart the container"
    ),
    b!(
        RemoveContainer,
        "remove_container",
        ["d"],
        Main,
        "remove the container (asks first)"
    ),
    b!(
        CopyCommandLog,
        "copy_command_log",
        ["y"],
        Main,
        "copy the command log (clipboard + file)"
    ),
    b!(Help, "help", ["?"], Main, "show/hide this help"),
    b!(Quit, "quit", ["q", "ctrl-c"], Main, "quit the dashboard"),
    b!(ClosePopup, "close_popup", ["esc"], Popup, "close the popup"),
    b!(Confirm, "confirm", ["y", "enter"], Popup, "answer yes"),
    b!(Cancel, "cancel", ["n"], Popup, "answer no"),
];

impl UserAction {
    /// The row of [`BINDINGS`] for this action.
    pub fn binding(self) -> &'static Binding {
        BINDINGS
            .iter()
            .find(|b| b.action == self)
            .unwrap_or(&BINDINGS[0])
    }
    /// The config name.
    pub fn name(self) -> &'static str {
        self.binding().name
    }
}

/// The effective keymap: defaults with the user's bindings over them.
#[derive(Debug, Clone)]
pub struct Keymap {
    keys: Vec<(UserAction, Vec<Key>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            keys: BINDINGS
                .iter()
                .map(|b| {
                    let keys = b.keys.iter().filter_map(|k| Key::parse(k).ok()).collect();
                    (b.action, keys)
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// The defaults with `user` (action name -> keys) merged over them. Errors name the
    /// key path (`dashboard.keys.<action>`) and say what is allowed.
    pub fn from_config(user: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in user {
            let Some(b) = BINDINGS.iter().find(|b| b.name == name) else {
                return Err(format!(
                    "key 'dashboard.keys.{name}': unknown action; use one of {}",
                    BINDINGS
                        .iter()
                        .map(|b| b.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            let parsed = keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("key 'dashboard.keys.{name}': {e}"))?;
            if let Some(slot) = map.keys.iter_mut().find(|(a, _)| *a == b.action) {
                slot.1 = parsed;
            }
        }
        map.check_conflicts()?;
        Ok(map)
    }

    fn check_conflicts(&self) -> Result<(), String> {
        for (i, (a, keys)) in self.keys.iter().enumerate() {
            for (b, other) in &self.keys[i + 1..] {
                if a.binding().scope != b.binding().scope {
                    continue;
                }
                if let Some(k) = keys.iter().find(|k| other.contains(k)) {
                    return Err(format!(
                        "key 'dashboard.keys': '{k}' is bound to both '{}' and '{}'; rebind one of them",
                        a.name(),
                        b.name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The action bound to `key` in `scope`, if any.
    pub fn lookup(&self, key: Key, scope: Scope) -> Option<UserAction> {
        self.keys
            .iter()
            .find(|(a, keys)| a.binding().scope == scope && keys.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The keys bound to `action`.
    pub fn keys(&self, action: UserAction) -> &[Key] {
        self.keys
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The keys of `action` as the help shows them (`j, down`).
    pub fn keys_text(&self, action: UserAction) -> String {
        self.keys(action)
            .iter()
            .map(Key::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_do_not_conflict() {
        for b in BINDINGS {
            for k in b.keys {
                assert!(Key::parse(k).is_ok(), "{}: {k}", b.name);
            }
        }
        let map = Keymap::from_config(&BTreeMap::new()).expect("defaults");
        assert_eq!(
            map.lookup(Key::char('s'), Scope::Main),
            Some(UserAction::StopContainer)
        );
        assert_eq!(
            map.lookup(Key::char('y'), Scope::Popup),
            Some(UserAction::Confirm)
        );
    }

    #[test]
    fn user_keys_replace_defaults_and_errors_name_the_key() {
        let mut user = BTreeMap::new();
        user.insert("stop_container".to_string(), vec!["x".to_string()]);
        let map = Keymap::from_config(&user).expect("remap");
        assert_eq!(
            map.lookup(Key::char('x'), Scope::Main),
            Some(UserAction::StopContainer)
        );
        assert_eq!(map.lookup(Key::char('s'), Scope::Main), None);

        user.insert("stopp".to_string(), vec!["z".to_string()]);
        let err = Keymap::from_config(&user).expect_err("unknown action");
        assert!(err.contains("dashboard.keys.stopp"), "{err}");

        let mut user = BTreeMap::new();
        user.insert("quit".to_string(), vec!["s".to_string()]);
        let err = Keymap::from_config(&user).expect_err("conflict");
        assert!(
            err.contains("'quit'") && err.contains("'stop_container'"),
            "{err}"
        );

        let mut user = BTreeMap::new();
        user.insert("quit".to_string(), vec!["hyper-q".to_string()]);
        let err = Keymap::from_config(&user).expect_err("bad key");
        assert!(
            err.contains("dashboard.keys.quit") && err.contains("hyper-q"),
            "{err}"
        );
    }
}
