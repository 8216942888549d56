//! logs.
use crate::cli::Ctx;
use clap::Args;
/// `berth logs`
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Container.
    pub container: String,
}
/// `berth logs`
pub fn logs(_ctx: &Ctx, _a: LogsArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
