//! Container commands: `berth container <verb>` and the top-level shortcuts.

pub mod attach;
pub mod exec;
pub mod files;
pub mod health_flags;
pub mod inspect;
pub mod lifecycle;
pub mod logs;
pub mod ps;
pub mod run;
pub mod security_flags;
pub mod stats;
pub mod top;

use super::Ctx;
use clap::{Args, Subcommand};

/// `berth container inspect` (containers only).
#[derive(Debug, Args)]
pub struct ContainerInspectArgs {
    /// Format output using a custom template.
    #[arg(short, long)]
    pub format: Option<String>,
    /// Display total file sizes (accepted; sizes are not computed yet).
    #[arg(short, long)]
    pub size: bool,
    /// Containers.
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth container ...`
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ContainerCommand {
    /// List containers.
    #[command(alias = "ps", alias = "list")]
    Ls(ps::PsArgs),
    /// Create and run a new container from an image.
    Run(run::RunArgs),
    /// Create a new container.
    Create(run::CreateArgs),
    /// Start one or more stopped containers.
    Start(lifecycle::StartArgs),
    /// Stop one or more running containers.
    Stop(lifecycle::StopArgs),
    /// Restart one or more containers.
    Restart(lifecycle::StopArgs),
    /// Kill one or more running containers.
    Kill(lifecycle::KillArgs),
    /// Remove one or more containers.
    #[command(alias = "remove")]
    Rm(lifecycle::RmArgs),
    /// Pause all processes within one or more containers.
    Pause(lifecycle::NamesArgs),
    /// Unpause all processes within one or more containers.
    Unpause(lifecycle::NamesArgs),
    /// Block until one or more containers stop, then print their exit codes.
    Wait(lifecycle::NamesArgs),
    /// Rename a container.
    Rename(lifecycle::RenameArgs),
    /// Fetch the logs of a container.
    Logs(logs::LogsArgs),
    /// Display detailed information on one or more containers.
    Inspect(ContainerInspectArgs),
    /// Inspect changes to files or directories on a container's filesystem.
    Diff(files::DiffArgs),
    /// Copy files/folders between a container and the local filesystem.
    Cp(files::CpArgs),
    /// Export a container's filesystem as a tar archive.
    Export(files::ExportArgs),
    /// Remove all stopped containers.
    Prune(files::PruneArgs),
    /// Display the running processes of a container.
    Top(top::TopArgs),
    /// Execute a command in a running container.
    Exec(exec::ExecArgs),
    /// Attach local standard input, output, and error streams to a running container.
    Attach(exec::AttachArgs),
    /// Display a live stream of container(s) resource usage statistics.
    Stats(stats::StatsArgs),
    /// List port mappings or a specific mapping for the container.
    Port(crate::cli::network::PortArgs),
}

/// Runs a `container` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: ContainerCommand) -> anyhow::Result<i32> {
    match cmd {
        ContainerCommand::Ls(a) => ps::ps(ctx, a),
        ContainerCommand::Run(a) => run::run(ctx, a),
        ContainerCommand::Create(a) => run::create(ctx, a),
        ContainerCommand::Start(a) => lifecycle::start(ctx, a),
        ContainerCommand::Stop(a) => lifecycle::stop(ctx, a),
        ContainerCommand::Restart(a) => lifecycle::restart(ctx, a),
        ContainerCommand::Kill(a) => lifecycle::kill(ctx, a),
        ContainerCommand::Rm(a) => lifecycle::rm(ctx, a),
        ContainerCommand::Pause(a) => lifecycle::pause(ctx, a),
        ContainerCommand::Unpause(a) => lifecycle::unpause(ctx, a),
        ContainerCommand::Wait(a) => lifecycle::wait(ctx, a),
        ContainerCommand::Rename(a) => lifecycle::rename(ctx, a),
        ContainerCommand::Logs(a) => logs::logs(ctx, a),
        ContainerCommand::Inspect(a) => {
            inspect::print_documents(ctx, &a.containers, Some("container"), a.format.as_deref())
        }
        ContainerCommand::Diff(a) => files::diff(ctx, a),
        ContainerCommand::Cp(a) => files::cp(ctx, a),
        ContainerCommand::Export(a) => files::export(ctx, a),
        ContainerCommand::Prune(a) => files::prune(ctx, a),
        ContainerCommand::Top(a) => top::top(ctx, a),
        ContainerCommand::Exec(a) => exec::exec(ctx, a),
        ContainerCommand::Attach(a) => exec::attach(ctx, a),
        ContainerCommand::Stats(a) => stats::stats(ctx, a),
        ContainerCommand::Port(a) => crate::cli::network::port(ctx, a),
    }
}
