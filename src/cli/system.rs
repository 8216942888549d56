//! System commands: version, info, system info.

use super::Ctx;
use clap::{Args, Subcommand};

/// `berth system ...`
#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Display system-wide information.
    Info(InfoArgs),
}

/// `berth version`
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Format the output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// `berth info`
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Format the output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// Runs a `system` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: SystemCommand) -> anyhow::Result<i32> {
    match cmd {
        SystemCommand::Info(a) => info(ctx, a),
    }
}

/// `berth version`
pub fn version(_ctx: &Ctx, _a: VersionArgs) -> anyhow::Result<i32> {
    println!("berth version {}", env!("CARGO_PKG_VERSION"));
    Ok(0)
}

/// `berth info`
pub fn info(_ctx: &Ctx, _a: InfoArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
