//! The default bindings: one row per action with its keys, scope and help line. The
//! keymap, the help popup and `config.example.yaml` all follow this table.

use super::keymap::{Binding, Scope, UserAction};

macro_rules! b {
    ($a:ident, $n:literal, [$($k:literal),*], $s:ident, $d:literal) => {
        Binding { action: UserAction::$a, name: $n, keys: &[$($k),*], scope: Scope::$s, desc: $d }
    };
}

/// Every action, in help order, with its defaults (one line per action where it fits).
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b!(MoveDown, "move_down", ["j", "down"], Main, "next row / scroll the log down / newer stats"),
    b!(MoveUp, "move_up", ["k", "up"], Main, "previous row / scroll the log up / older stats"),
    b!(PageDown, "page_down", ["pagedown", "ctrl-d"], Main, "a page down"),
    b!(PageUp, "page_up", ["pageup", "ctrl-u"], Main, "a page up"),
    b!(GoTop, "go_top", ["g", "home"], Main, "first row / oldest log line or stats"),
    b!(GoBottom, "go_bottom", ["G", "end"], Main, "last row / newest log line or stats, follow"),
    b!(NextPane, "next_pane", ["tab"], Main, "focus the next pane"),
    b!(PrevPane, "prev_pane", ["backtab"], Main, "focus the previous pane"),
    b!(FocusLogs, "focus_logs", ["enter"], Main, "show the selected container's log"),
    b!(FocusStats, "focus_stats", ["c"], Main, "show the selected container's live charts"),
    b!(FocusTop, "focus_top", ["t"], Main, "show the selected container's processes"),
    b!(FocusImages, "focus_images", ["i"], Main, "show the images, their history and layer files"),
    b!(
        CycleSort,
        "cycle_sort",
        ["o"],
        Main,
        "sort containers (age, cpu, memory, name) or processes"
    ),
    b!(
        SignalProcess,
        "signal_process",
        ["K"],
        Main,
        "send a signal to the selected process (asks first)"
    ),
    b!(ToggleFollow, "toggle_follow", ["f"], Main, "follow new log lines on/off"),
    b!(ToggleProject, "toggle_project", ["C"], Main, "fold/unfold the compose project"),
    b!(FocusChanges, "focus_changes", ["D"], Main, "the container's changed files, live"),
    b!(
        FocusTimeline,
        "focus_timeline",
        ["L"],
        Main,
        "the container's events, log lines, CPU and memory on one time axis"
    ),
    b!(
        ExpandTimeline,
        "expand_timeline",
        ["enter"],
        Timeline,
        "show (or fold) the log lines around the selected event"
    ),
    b!(FocusVolumes, "focus_volumes", ["V"], Main, "the Volumes pane"),
    b!(CreateVolume, "create_volume", ["a"], Volumes, "create a volume (asks its name)"),
    b!(RemoveVolume, "remove_volume", ["d"], Volumes, "remove the volume (asks first)"),
    b!(PruneVolumes, "prune_volumes", ["p"], Volumes, "prune unused anonymous volumes"),
    b!(FocusTopology, "focus_topology", ["m"], Main, "the topology: networks and containers drawn"),
    b!(NodeLeft, "node_left", ["h", "left"], Topology, "the network on the left"),
    b!(NodeRight, "node_right", ["l", "right"], Topology, "the network on the right"),
    b!(OpenNode, "open_node", ["enter"], Topology, "open it: a container's log, a network's pane"),
    b!(LeaveTopology, "leave_topology", ["esc"], Topology, "back to the container list"),
    b!(Inspect, "inspect", ["I"], Main, "inspect the selection (JSON tree)"),
    b!(StopContainer, "stop_container", ["s"], Main, "stop the container"),
    b!(StartContainer, "start_container", ["S"], Main, "start the container"),
    b!(RestartContainer, "restart_container", ["r"], Main, "restart the container"),
    b!(RemoveContainer, "remove_container", ["d"], Main, "remove the container (asks first)"),
    b!(ToggleZoom, "toggle_zoom", ["z"], Main, "zoom the focused pane to the whole screen, or back"),
    b!(NextChart, "next_chart", ["l", "right"], Stats, "the next chart, when one chart fits"),
    b!(PrevChart, "prev_chart", ["h", "left"], Stats, "the previous chart"),
    b!(CopyCommandLog, "copy_command_log", ["y"], Main, "copy the command log (clipboard + file)"),
    b!(Help, "help", ["?"], Main, "show/hide this help"),
    b!(Quit, "quit", ["q", "ctrl-c"], Main, "quit the dashboard"),
    b!(TagImage, "tag_image", ["t"], Images, "tag the image (asks for the new name)"),
    b!(RemoveImage, "remove_image", ["d"], Images, "remove the image (asks first)"),
    b!(RunImage, "run_image", ["r"], Images, "run a container from the image (asks for a name)"),
    b!(
        RunImageByName,
        "run_image_by_name",
        ["R"],
        Images,
        "run a container from an image typed in (pulls it when missing)"
    ),
    b!(ToggleTreeView, "toggle_tree_view", ["v"], Images, "file tree: layer changes / merged tree"),
    b!(FocusLeft, "focus_left", ["h", "left"], Images, "move to the panel on the left"),
    b!(FocusRight, "focus_right", ["l", "right"], Images, "move to the panel on the right"),
    b!(ClosePopup, "close_popup", ["esc"], Popup, "close the popup"),
    b!(Confirm, "confirm", ["y", "enter"], Popup, "answer yes"),
    b!(Cancel, "cancel", ["n"], Popup, "answer no"),
    b!(
        NextChoice,
        "next_choice",
        ["right", "tab", "l"],
        Popup,
        "next choice (signal, force, container)"
    ),
    b!(PrevChoice, "prev_choice", ["left", "backtab", "h"], Popup, "previous choice"),
    b!(
        FocusNetworks,
        "focus_networks",
        ["n"],
        Main,
        "show the networks (the selected container's marked) and DNS queries"
    ),
    b!(
        CreateNetwork,
        "create_network",
        ["a"],
        Networks,
        "create a network (asks for NAME [SUBNET])"
    ),
    b!(RemoveNetwork, "remove_network", ["d"], Networks, "remove the network (asks first)"),
    b!(
        ConnectNetwork,
        "connect_network",
        ["c"],
        Networks,
        "connect a container to the network (asks which)"
    ),
    b!(
        DisconnectNetwork,
        "disconnect_network",
        ["x"],
        Networks,
        "disconnect a container from the network (asks which)"
    ),
    b!(
        ExecShell,
        "exec_shell",
        ["e"],
        Main,
        "shell in the container, beside its log (berth exec -it NAME sh)"
    ),
    b!(
        AttachContainer,
        "attach_container",
        ["a"],
        Main,
        "attach to the container in the Shell pane (berth attach NAME)"
    ),
    b!(
        LeaveShell,
        "leave_shell",
        ["ctrl-]"],
        Shell,
        "leave the Shell pane (the process keeps running)"
    ),
    b!(
        FilterList,
        "filter_list",
        ["/"],
        Main,
        "filter the list as you type (smart case; enter keeps, esc clears)"
    ),
    b!(
        CommandPalette,
        "command_palette",
        [":"],
        Main,
        "command palette: a view by name or a berth command (tab completes)"
    ),
    b!(SearchLog, "search_log", ["/"], Logs, "search the log (smart case)"),
    b!(NextMatch, "next_match", ["n"], Logs, "next (older) match"),
    b!(PrevMatch, "prev_match", ["N"], Logs, "previous (newer) match"),
    b!(FilterLog, "filter_log", ["F"], Main, "show only the lines matching the search, or all"),
    b!(ToggleTimestamps, "toggle_timestamps", ["T"], Main, "log line times on/off"),
    b!(ToggleWrap, "toggle_wrap", ["w"], Main, "wrap long log lines on/off"),
    b!(SaveLog, "save_log", ["W"], Main, "save the whole log (as filtered) to a file"),
    b!(MarkContainer, "mark_container", ["space"], Main, "mark the container for the merged log"),
    b!(
        MergeLogs,
        "merge_logs",
        ["M"],
        Main,
        "merged log of the marked (or all running) containers"
    ),
    b!(
        BuildImage,
        "build_image",
        ["b"],
        Images,
        "build an image from a Dockerfile (asks for context, tags, args)"
    ),
    b!(PullImage, "pull_image", ["p"], Images, "pull an image (asks for the reference)"),
    b!(PushImage, "push_image", ["P"], Images, "push the image to its registry"),
];
