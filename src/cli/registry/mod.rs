//! Registry commands: pull, push, login, logout. Each builds a tokio runtime for itself
//! (the rest of the CLI is synchronous).

pub mod login;
pub mod progress;
pub mod pull;
pub mod push;

use clap::Args;

pub use login::{login, logout};
pub use pull::pull;
pub use push::push;

/// `berth pull`
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Download all tagged images in the repository.
    #[arg(short = 'a', long)]
    pub all_tags: bool,
    /// Suppress verbose output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Set platform if server is multi-platform capable (e.g. linux/arm64).
    #[arg(long)]
    pub platform: Option<String>,
    /// Image: NAME[:TAG|@DIGEST].
    pub image: String,
}

/// `berth push`
#[derive(Debug, Args)]
pub struct PushArgs {
    /// Push all tags of the repository.
    #[arg(short = 'a', long)]
    pub all_tags: bool,
    /// Suppress verbose output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Image: NAME[:TAG].
    pub image: String,
}

/// `berth login`
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Username.
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password (prefer --password-stdin).
    #[arg(short, long, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// Take the password from stdin.
    #[arg(long)]
    pub password_stdin: bool,
    /// Registry server (default: Docker Hub).
    pub server: Option<String>,
}

/// `berth logout`
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Registry server (default: Docker Hub).
    pub server: Option<String>,
}

/// A runtime for one registry command.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
}
