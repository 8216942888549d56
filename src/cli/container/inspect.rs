//! inspect.
use crate::cli::Ctx;
use clap::Args;
/// `berth inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Objects.
    pub names: Vec<String>,
}
/// `berth inspect`
pub fn inspect(_ctx: &Ctx, _a: InspectArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
