//! Image commands: images, import, tag, rmi, save, load, history, image inspect/ls/prune.
//!
//! The argument types live here; each command's body is in the file of its verb.

pub mod archive;
pub mod history;
pub mod import;
pub mod inspect;
pub mod ls;
pub mod rm;

use super::Ctx;
use clap::{Args, Subcommand};

pub use archive::{load, save};
pub use history::history;
pub use import::import;
pub use ls::images;
pub use rm::{prune, rmi, tag};

/// `berth image ...`
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ImageCommand {
    /// List images.
    #[command(alias = "list")]
    Ls(ImagesArgs),
    /// Display detailed information on one or more images.
    Inspect(inspect::ImageInspectArgs),
    /// Show the history of an image.
    History(HistoryArgs),
    /// Remove one or more images.
    #[command(alias = "remove")]
    Rm(RmiArgs),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.
    Tag(TagArgs),
    /// Import the contents from a tarball to create a filesystem image.
    Import(ImportArgs),
    /// Save one or more images to a tar archive (streamed to STDOUT by default).
    Save(SaveArgs),
    /// Load an image from a tar archive or STDIN.
    Load(LoadArgs),
    /// Remove unused images.
    Prune(PruneArgs),
    /// Download an image from a registry.
    Pull(crate::cli::registry::PullArgs),
    /// Upload an image to a registry.
    Push(crate::cli::registry::PushArgs),
    /// Build an image from a Dockerfile.
    Build(crate::cli::build::BuildArgs),
}

/// `berth images`
#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// Show all images (default hides intermediate images).
    #[arg(short, long)]
    pub all: bool,
    /// Only show image IDs.
    #[arg(short, long)]
    pub quiet: bool,
    /// Don't truncate output.
    #[arg(long)]
    pub no_trunc: bool,
    /// Show digests.
    #[arg(long)]
    pub digests: bool,
    /// Format output using a custom template ('table', 'table TEMPLATE', 'json', 'TEMPLATE').
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output based on conditions provided (dangling=true|false, reference=PATTERN).
    #[arg(short, long)]
    pub filter: Vec<String>,
    /// Only images of this repository (`[REPOSITORY[:TAG]]`).
    pub repository: Option<String>,
}
/// `berth import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Tarball path or `-`.
    pub source: String,
    /// Reference for the new image.
    pub reference: Option<String>,
    /// Apply Dockerfile instruction to the created image.
    #[arg(short, long = "change")]
    pub change: Vec<String>,
    /// Set commit message for imported image.
    #[arg(short, long)]
    pub message: Option<String>,
    /// Set platform if server is multi-platform capable (only this machine's is supported).
    #[arg(long)]
    pub platform: Option<String>,
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
    /// Force removal of the image.
    #[arg(short, long)]
    pub force: bool,
    /// Do not delete untagged parents (accepted for compatibility).
    #[arg(long)]
    pub no_prune: bool,
    /// Images.
    #[arg(required = true)]
    pub images: Vec<String>,
}
/// `berth save`
#[derive(Debug, Args)]
pub struct SaveArgs {
    /// Write to a file, instead of STDOUT.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Images.
    #[arg(required = true)]
    pub images: Vec<String>,
}
/// `berth load`
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Read from tar archive file, instead of STDIN.
    #[arg(short, long)]
    pub input: Option<String>,
    /// Suppress the load output.
    #[arg(short, long)]
    pub quiet: bool,
}
/// `berth history`
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print sizes and dates in human readable format.
    #[arg(short = 'H', long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    /// Don't truncate output.
    #[arg(long)]
    pub no_trunc: bool,
    /// Only show image IDs.
    #[arg(short, long)]
    pub quiet: bool,
    /// Format output using a custom template.
    #[arg(long)]
    pub format: Option<String>,
    /// Image.
    pub image: String,
}
/// `berth image prune`
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove all unused images, not just dangling ones.
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

/// Runs an `image` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: ImageCommand) -> anyhow::Result<i32> {
    match cmd {
        ImageCommand::Ls(a) => images(ctx, a),
        ImageCommand::Inspect(a) => inspect::inspect(ctx, a),
        ImageCommand::History(a) => history(ctx, a),
        ImageCommand::Rm(a) => rmi(ctx, a),
        ImageCommand::Tag(a) => tag(ctx, a),
        ImageCommand::Import(a) => import(ctx, a),
        ImageCommand::Save(a) => save(ctx, a),
        ImageCommand::Load(a) => load(ctx, a),
        ImageCommand::Prune(a) => prune(ctx, a),
        ImageCommand::Pull(a) => crate::cli::registry::pull(ctx, a),
        ImageCommand::Push(a) => crate::cli::registry::push(ctx, a),
        ImageCommand::Build(a) => crate::cli::build::build(ctx, a),
    }
}
