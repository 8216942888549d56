//! Container commands.

pub mod attach;
pub mod files;
pub mod inspect;
pub mod lifecycle;
pub mod logs;
pub mod ps;
pub mod run;

use super::Ctx;
use clap::Subcommand;

/// `berth container ...`
#[derive(Debug, Subcommand)]
pub enum ContainerCommand {
    /// List containers.
    #[command(alias = "ps", alias = "list")]
    Ls(ps::PsArgs),
}

/// Runs a `container` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: ContainerCommand) -> anyhow::Result<i32> {
    match cmd {
        ContainerCommand::Ls(a) => ps::ps(ctx, a),
    }
}
