//! `berth image inspect`: Docker-shaped JSON for images, or `--format` per image.

use crate::cli::Ctx;
use crate::cli::format::print_inspect;
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

/// `berth image inspect`: prints what was found; exits 1 if any image is missing, as Docker.
pub fn inspect(ctx: &Ctx, a: ImageInspectArgs) -> anyhow::Result<i32> {
    print_inspect(&a.images, a.format.as_deref(), |n| {
        ctx.engine.image_inspect(n)
    })
}
