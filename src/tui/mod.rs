//! The dashboard: full-screen terminal UI over the engine, in the Elm style.
//!
//! `App` (app.rs) is the state, changed only by `App::update` (update.rs) from `Action`s
//! (action.rs); `update` returns `Effect`s that the runner (runner.rs) performs, feeding
//! results back as actions. Background tasks (tasks.rs) turn input, ticks, the container
//! list, log lines, stats samples and process lists into actions. Panes (ui/) are pure
//! render functions of the state; the layer trees of the Images pane are computed by a
//! background task (layertree.rs); the Networks pane's samples (networks, endpoint
//! counters, DNS query logs) by its watcher (netwatch.rs).
//! Keys (keymap.rs) and colours (theme.rs) are data from the config.

pub mod action;
pub mod app;
mod bindings;
pub mod keymap;
pub(crate) mod keys;
mod navigate;
mod op;
pub mod panes;
pub mod runner;
pub(crate) mod tasks;
mod terminal;
pub mod theme;
pub mod ui;
mod update;
mod update_popup;

use crate::config::Config;
use crate::engine::Engine;
use app::{App, AppSettings};
use keymap::Keymap;
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
    };
    let app = App::new(keymap, settings, chrono::Utc::now());
    let refresh = Duration::from_millis(dash.refresh_ms);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = {
        let mut guard = terminal::TerminalGuard::enter()?;
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

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod update_tests;
