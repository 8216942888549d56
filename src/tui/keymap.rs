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
    /// The Images pane has the focus (its bindings come before the panes' ones).
    Images,
    /// A popup (help or a confirmation) is open.
    Popup,
    /// The Networks pane has the focus (its bindings come before the panes' ones).
    Networks,
    /// The Shell pane has the focus (every other key goes to the process).
    Shell,
    /// The Logs pane has the focus (its bindings come before the panes' ones).
    Logs,
    /// The Volumes pane has the focus (its bindings come before the panes' ones).
    Volumes,
    /// The Timeline pane has the focus (its bindings come before the panes' ones).
    Timeline,
    /// The Topology pane has the focus (its bindings come before the panes' ones).
    Topology,
    /// The Stats pane has the focus (its bindings come before the panes' ones).
    Stats,
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
    /// Show the Images pane.
    FocusImages,
    /// Show the selected container's live charts.
    FocusStats,
    /// Show the selected container's processes.
    FocusTop,
    /// Cycle the order of the container list or of the processes.
    CycleSort,
    /// Send a signal to the selected process (asks first).
    SignalProcess,
    /// Tag the selected image (asks for the new reference).
    TagImage,
    /// Remove the selected image (asks first).
    RemoveImage,
    /// Run a container from the selected image (asks for a name).
    RunImage,
    /// Run a container from an image named in a prompt, pulling it first when missing.
    RunImageByName,
    /// Switch the file tree between the layer's changes and the merged tree.
    ToggleTreeView,
    /// Move to the panel on the left (Images pane).
    FocusLeft,
    /// Move to the panel on the right (Images pane).
    FocusRight,
    /// Open the JSON of the selected container, image or network as a folded tree.
    Inspect,
    /// Fold the selected container's compose project into one row, or unfold it.
    ToggleProject,
    /// Show the Volumes pane.
    FocusVolumes,
    /// Show the selected container's changed files under the list.
    FocusChanges,
    /// Show the selected container's timeline under the list.
    FocusTimeline,
    /// Show (or fold again) the log lines around the selected timeline event.
    ExpandTimeline,
    /// Show the Topology pane (networks and containers drawn as a graph).
    FocusTopology,
    /// In the Topology pane: the network on the left.
    NodeLeft,
    /// In the Topology pane: the network on the right.
    NodeRight,
    /// In the Topology pane: open the selected node (a container's log, a network).
    OpenNode,
    /// Leave the Topology pane for the container list.
    LeaveTopology,
    /// Create a volume (asks for its name).
    CreateVolume,
    /// Remove the selected volume (asks first).
    RemoveVolume,
    /// Remove the anonymous volumes no container uses (asks first).
    PruneVolumes,
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
    /// The next choice in a popup (signal, force).
    NextChoice,
    /// The previous choice in a popup.
    PrevChoice,
    /// Show the Networks pane (the selected container's networks marked).
    FocusNetworks,
    /// Create a network (asks for the name and an optional subnet).
    CreateNetwork,
    /// Remove the selected network (asks first).
    RemoveNetwork,
    /// Connect a container to the selected network (asks which).
    ConnectNetwork,
    /// Disconnect a container from the selected network (asks which).
    DisconnectNetwork,
    /// Open (or go back to) a shell in the selected container.
    ExecShell,
    /// Attach to the selected container's process in the Shell pane.
    AttachContainer,
    /// Leave the Shell pane; the process keeps running.
    LeaveShell,
    /// Filter the focused list as the query is typed (the log is searched elsewhere).
    FilterList,
    /// Open the command palette (a view by name, or a berth command line).
    CommandPalette,
    /// Search the log (asks for the text).
    SearchLog,
    /// The next (older) match.
    NextMatch,
    /// The previous (newer) match.
    PrevMatch,
    /// Show only the lines matching the search, or all.
    FilterLog,
    /// Show each log line's time, or not.
    ToggleTimestamps,
    /// Wrap long log lines, or cut them.
    ToggleWrap,
    /// Save the whole log (filtered, with times as shown) to a file.
    SaveLog,
    /// Mark the selected container for the merged log view.
    MarkContainer,
    /// The merged log of the marked (or all running) containers, or back.
    MergeLogs,
    /// Build an image from a Dockerfile (opens the build form).
    BuildImage,
    /// Pull an image (asks for the reference).
    PullImage,
    /// Push the selected image to its registry.
    PushImage,
    /// Zoom the focused pane to the whole screen, or back.
    ToggleZoom,
    /// The next of the Stats pane's charts (when only one fits).
    NextChart,
    /// The previous of the Stats pane's charts.
    PrevChart,
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

pub use super::bindings::BINDINGS;

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
