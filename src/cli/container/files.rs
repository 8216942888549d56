//! diff, cp, export.
use crate::cli::Ctx;
use clap::Args;
/// `berth diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Container.
    pub container: String,
}
/// `berth cp`
#[derive(Debug, Args)]
pub struct CpArgs {
    /// Source.
    pub src: String,
    /// Destination.
    pub dst: String,
}
/// `berth export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Container.
    pub container: String,
}
/// `berth diff`
pub fn diff(_ctx: &Ctx, _a: DiffArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth cp`
pub fn cp(_ctx: &Ctx, _a: CpArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth export`
pub fn export(_ctx: &Ctx, _a: ExportArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
