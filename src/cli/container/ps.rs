//! ps.
use crate::cli::Ctx;
use clap::Args;
/// `berth ps`
#[derive(Debug, Args)]
pub struct PsArgs {
    /// Show all containers.
    #[arg(short, long)]
    pub all: bool,
}
/// `berth ps`
pub fn ps(_ctx: &Ctx, _a: PsArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
