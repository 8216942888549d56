//! Opening berth from the user's settings: the one place where the config file and the
//! `--root`/`--config` flags become an [`Engine`], used by every front end.
//!
//! `main.rs` parses argv once and dispatches to the CLI, the dashboard or the shim; both
//! front ends get their engine and settings from [`open`] and report a failure through
//! [`exit_code`], so a bad config file reads the same whichever one is started.

use crate::config::Config;
use crate::engine::{Engine, EngineError, EngineOptions};
use std::path::{Path, PathBuf};

/// What a front end starts with: the engine on the chosen state root and the settings.
pub struct Setup {
    /// The engine on the chosen state root.
    pub engine: Engine,
    /// The loaded configuration.
    pub config: Config,
    /// The file the configuration was read from (or would have been: it may not exist).
    pub config_path: PathBuf,
}

/// berth's command line as the dashboard's palette needs it (checked by the CLI's parser).
pub fn command_line() -> crate::tui::panes::palette::commands::CommandLine {
    crate::tui::panes::palette::commands::CommandLine {
        check: crate::cli::palette::check,
        words: crate::cli::palette::command_words,
    }
}

/// Loads the configuration (`config`, or the default file) and opens the engine on `root`
/// (or the configured root).
pub fn open(root: Option<PathBuf>, config: Option<PathBuf>) -> anyhow::Result<Setup> {
    crate::tui::panes::palette::commands::install(command_line());
    let config_path = config.unwrap_or_else(crate::config::default_path);
    let mut config = load_config(&config_path).map_err(anyhow::Error::msg)?;
    let root = root.unwrap_or_else(|| config.root.clone());
    let engine = Engine::open(&root, engine_options(&config)?)?;
    // The root in use (the dashboard's command palette hands it to the commands it runs).
    config.root = root;
    Ok(Setup {
        engine,
        config,
        config_path,
    })
}

/// Loads `path` and checks what only a front end can check (the dashboard's key bindings),
/// so every command rejects a config file the dashboard would reject. Errors name the file.
pub fn load_config(path: &Path) -> Result<Config, String> {
    let config = Config::load(path)?;
    crate::tui::keymap::Keymap::from_config(&config.dashboard.keys)
        .map_err(|e| format!("config '{}': {e}", path.display()))?;
    Ok(config)
}

/// The engine's settings from the configuration.
fn engine_options(config: &Config) -> anyhow::Result<EngineOptions> {
    Ok(EngineOptions {
        log_max_size: config.logs.max_size_bytes().map_err(anyhow::Error::msg)?,
        log_max_files: config.logs.max_files,
        log_compress: config.logs.compress,
        network_mtu: config.network.mtu,
    })
}

/// The process exit code of a front end's result; an error becomes one line on stderr and
/// exit code 125 (Docker's code for its own errors) unless the engine says otherwise.
pub fn exit_code(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            let code = e
                .downcast_ref::<EngineError>()
                .map(EngineError::exit_code)
                .unwrap_or(125);
            eprintln!("berth: {}", crate::engine::printable(&one_line(&e)));
            code
        }
    }
}

/// The error and its causes on one line, each cause once: the engine's errors name their
/// cause in their own message already (`/x: Not a directory`), a context added with anyhow
/// does not.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line = format!("{line}: {cause}");
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_dashboard_actions_are_named_with_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.yaml");
        std::fs::write(&p, "dashboard:\n  keys:\n    stopp: [x]\n").expect("write");
        let err = load_config(&p).expect_err("unknown action");
        assert!(
            err.contains("dashboard.keys.stopp") && err.contains("config.yaml"),
            "{err}"
        );
    }

    #[test]
    fn an_error_line_names_each_cause_once() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = anyhow::Error::from(EngineError::io("/x/y.tar", gone));
        assert_eq!(one_line(&e), "/x/y.tar: entity not found");
        let e = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::NotFound))
            .context("cannot open 'f'");
        assert_eq!(one_line(&e), "cannot open 'f': entity not found");
    }

    #[test]
    fn example_config_documents_every_action() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (live, uncommented) = crate::config::uncommented_example(dir.path());
        let cfg = load_config(&live).unwrap_or_else(|e| panic!("{e}\n---\n{uncommented}"));
        for b in crate::tui::keymap::BINDINGS {
            let keys = cfg.dashboard.keys.get(b.name);
            let want: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            assert_eq!(
                keys,
                Some(&want),
                "config.example.yaml must list '{}' with its defaults",
                b.name
            );
        }
    }
}
