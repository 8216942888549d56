//! `berth image inspect`: Docker-shaped JSON for images.

use crate::cli::Ctx;
use clap::Args;

/// `berth image inspect`
#[derive(Debug, Args)]
pub struct ImageInspectArgs {
    /// Format output using a custom template.
    #[arg(short, long)]
    pub format: Option<String>,
    /// Images.
    #[arg(required = true)]
    pub images: Vec<String>,
}

/// `berth image inspect`
pub fn inspect(_ctx: &Ctx, _a: ImageInspectArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
