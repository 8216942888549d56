//! The dashboard: full-screen terminal UI over the engine, in the Elm style.
//!
//! `App` (app.rs) is the state, one field per pane, changed only by `App::update`
//! (update.rs) from `Action`s (action.rs); `update` returns `Effect`s that the runner
//! (runner.rs) hands to the pane they belong to, whose background side performs them and
//! feeds results back as actions. Each pane lives in `panes/<pane>/`: its state, its part
//! of `update`, its view (a pure render of the state), its background task and its tests.
//! What the panes share stays here: the frame (ui/), the keymap (keymap.rs) and colours
//! (theme.rs), both data from the config, and the input, clock and signal tasks (tasks.rs).

pub mod action;
pub mod app;
mod bindings;
mod filter;
pub mod keymap;
pub(crate) mod keys;
mod mouse;
mod navigate;
mod op;
mod pane;
pub mod panes;
pub mod runner;
pub(crate) mod tasks;
mod terminal;
pub mod theme;
pub mod ui;
mod update;
mod update_filter;
mod update_popup;

use crate::config::Config;
use crate::engine::Engine;
use app::{App, AppSettings};
use keymap::Keymap;
use panes::palette::state::PaletteState;
use std::path::Path;
use std::time::Duration;
use theme::Theme;

/// Runs the dashboard on `engine` with the user's settings (`config`, read from
/// `config_path`, whose folder holds the user's themes) until the user quits.
pub fn run(engine: Engine, config: &Config, config_path: &Path) -> anyhow::Result<()> {
    let dash = &config.dashboard;
    let keymap = Keymap::from_config(&dash.keys)
        .map_err(|e| anyhow::anyhow!("config '{}': {e}", config_path.display()))?;
    let theme_dir = config_path
        .parent()
        .map(|d| d.join("themes"))
        .unwrap_or_default();
    let theme = Theme::load(&dash.theme, &theme_dir).map_err(|e| {
        anyhow::anyhow!(
            "config '{}': key 'dashboard.theme': {e}",
            config_path.display()
        )
    })?;
    let settings = AppSettings {
        log_tail: dash.log_tail,
        log_buffer: dash.log_buffer,
        command_log_file: app::command_log_path(),
        default_network: config.network.default.clone(),
        registries: config.registries.clone(),
        mouse: dash.mouse,
        cli_args: vec![
            "--root".into(),
            config.root.display().to_string(),
            "--config".into(),
            config_path.display().to_string(),
        ],
    };
    let mut app = App::new(keymap, settings, chrono::Utc::now());
    let history = palette_history_path();
    app.palette.history = PaletteState::load_history(&history);
    app.palette.history_file = Some(history);
    let refresh = Duration::from_millis(dash.refresh_ms);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = {
        let mut guard = terminal::TerminalGuard::enter(dash.mouse)?;
        rt.block_on(runner::run(
            &mut guard.terminal,
            engine,
            app,
            theme,
            refresh,
        ))
    };
    // Log followers may still sleep in the engine's reader: do not wait for them.
    rt.shutdown_background();
    result
}

/// Where the palette's history is kept: beside the command log.
fn palette_history_path() -> std::path::PathBuf {
    let log = app::command_log_path();
    log.with_file_name("palette-history")
}

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod update_tests;
