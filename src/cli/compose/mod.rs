//! `berth compose`: Docker Compose v2's commands, native (no service process): the project
//! model comes from `crate::compose`, the containers, networks and volumes from the engine's
//! facade. Names and labels are Compose's, so `docker compose` users recognise everything.

pub mod down;
pub mod exec;
pub mod images;
pub mod lifecycle;
pub mod logs;
pub mod progress;
pub mod ps;
pub mod resources;
pub mod up;
pub mod wait;

use crate::cli::Ctx;
use crate::compose::{LoadOptions, Project, load};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `berth compose [-f FILE]... [-p NAME] COMMAND`.
#[derive(Debug, Args)]
pub struct ComposeArgs {
    /// Compose configuration files (repeatable; later files override earlier ones).
    #[arg(short = 'f', long = "file")]
    pub file: Vec<PathBuf>,
    /// Project name (else COMPOSE_PROJECT_NAME, the file's `name:` or the directory's).
    #[arg(short = 'p', long = "project-name")]
    pub project_name: Option<String>,
    /// The command.
    #[command(subcommand)]
    pub command: ComposeCommand,
}

/// The compose commands.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ComposeCommand {
    /// Create and start containers.
    Up(up::UpArgs),
    /// Stop and remove containers, networks (and with -v volumes).
    Down(down::DownArgs),
    /// List containers.
    Ps(ps::PsArgs),
    /// View output from containers.
    Logs(logs::LogsArgs),
    /// Build or rebuild services.
    Build(images::BuildArgs),
    /// Pull service images.
    Pull(images::PullArgs),
    /// Start services.
    Start(lifecycle::ServicesArgs),
    /// Stop services.
    Stop(lifecycle::StopArgs),
    /// Restart service containers.
    Restart(lifecycle::StopArgs),
    /// Execute a command in a running container.
    Exec(exec::ExecArgs),
    /// Run a one-off command on a service.
    Run(exec::RunArgs),
    /// Parse, resolve and render the compose file in canonical format.
    Config(ConfigArgs),
}

/// `compose config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the service names, one per line.
    #[arg(long)]
    pub services: bool,
    /// Only validate the configuration, don't print anything.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Loads the project the flags name, printing the loader's warnings on stderr.
pub fn project(a: &ComposeArgs) -> Result<Project> {
    let loaded = load(
        &LoadOptions {
            files: a.file.clone(),
            project_name: a.project_name.clone(),
            dir: std::env::current_dir()?,
        },
        &mut |w| eprintln!("WARN[0000] {w}"),
    )?;
    Ok(loaded.project)
}

/// Runs a compose command.
pub fn dispatch(ctx: &Ctx, a: ComposeArgs) -> Result<i32> {
    match &a.command {
        ComposeCommand::Down(d) => return down::down(ctx, &a, d),
        ComposeCommand::Ps(p) => return ps::ps(ctx, &a, p),
        _ => {}
    }
    let p = project(&a)?;
    match a.command {
        ComposeCommand::Up(u) => up::up(ctx, &p, u),
        ComposeCommand::Logs(l) => logs::logs(ctx, &p, l),
        ComposeCommand::Build(b) => images::build(ctx, &p, b),
        ComposeCommand::Pull(b) => images::pull(ctx, &p, b),
        ComposeCommand::Start(s) => lifecycle::start(ctx, &p, s),
        ComposeCommand::Stop(s) => lifecycle::stop(ctx, &p, s),
        ComposeCommand::Restart(s) => lifecycle::restart(ctx, &p, s),
        ComposeCommand::Exec(e) => exec::exec(ctx, &p, e),
        ComposeCommand::Run(r) => exec::run(ctx, &p, r),
        ComposeCommand::Config(c) => config(&p, c),
        ComposeCommand::Down(_) | ComposeCommand::Ps(_) => Ok(0),
    }
}

/// `compose config`: the resolved model as YAML.
fn config(p: &Project, a: ConfigArgs) -> Result<i32> {
    if a.quiet {
        return Ok(0);
    }
    if a.services {
        for k in p.services.keys() {
            println!("{k}");
        }
        return Ok(0);
    }
    print!("{}", serde_yaml_ng::to_string(p)?);
    Ok(0)
}
