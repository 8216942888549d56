//! Volume commands: volume create, ls, inspect, rm, prune.

use super::Ctx;
use clap::Subcommand;

/// `berth volume ...`
#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// List volumes.
    Ls,
}

/// Runs a `volume` subcommand.
pub fn dispatch(_ctx: &Ctx, _cmd: VolumeCommand) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
