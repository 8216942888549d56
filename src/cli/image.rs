//! Image commands: images, import, tag, rmi, save, load, history, image inspect/ls/prune.

use super::Ctx;
use clap::{Args, Subcommand};

/// `berth image ...`
#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// List images.
    #[command(alias = "list")]
    Ls(ImagesArgs),
    /// Import the contents from a tarball to create a filesystem image.
    Import(ImportArgs),
}

/// `berth images`
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Show all images.
    #[arg(short, long)]
    pub all: bool,
}
/// `berth import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Tarball path or `-`.
    pub source: String,
    /// Reference for the new image.
    pub reference: Option<String>,
}
/// `berth tag`
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Source image.
    pub source: String,
    /// New reference.
    pub target: String,
}
/// `berth rmi`
#[derive(Debug, Args)]
pub struct RmiArgs {
    /// Images.
    pub images: Vec<String>,
}
/// `berth save`
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Images.
    pub images: Vec<String>,
}
/// `berth load`
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Input file.
    #[arg(short, long)]
    pub input: Option<String>,
}
/// `berth history`
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Image.
    pub image: String,
}

/// Runs an `image` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: ImageCommand) -> anyhow::Result<i32> {
    match cmd {
        ImageCommand::Ls(a) => images(ctx, a),
        ImageCommand::Import(a) => import(ctx, a),
    }
}
/// `berth images`
pub fn images(_ctx: &Ctx, _a: ImagesArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth import`
pub fn import(_ctx: &Ctx, _a: ImportArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth tag`
pub fn tag(_ctx: &Ctx, _a: TagArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth rmi`
pub fn rmi(_ctx: &Ctx, _a: RmiArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth save`
pub fn save(_ctx: &Ctx, _a: SaveArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth load`
pub fn load(_ctx: &Ctx, _a: LoadArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth history`
pub fn history(_ctx: &Ctx, _a: HistoryArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
