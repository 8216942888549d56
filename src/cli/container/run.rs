//! run and create.
use crate::cli::Ctx;
use clap::Args;
/// `berth run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Image.
    pub image: String,
}
/// `berth create`
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Image.
    pub image: String,
}
/// `berth run`
pub fn run(_ctx: &Ctx, _a: RunArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth create`
pub fn create(_ctx: &Ctx, _a: CreateArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
