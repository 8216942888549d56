//! The dashboard: full-screen terminal UI over the engine.

/// Opens the dashboard on the state root (or the configured one) until the user quits.
pub fn run(_root: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("the dashboard is not built yet")
}
