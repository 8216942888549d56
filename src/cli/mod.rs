//! The Docker-compatible command line: parses flags with clap, calls the engine, prints.
//!
//! One file per command group. Every command returns the process exit code; errors go back
//! to the bootstrap (`crate::bootstrap::exit_code`), which prints them as one line on stderr
//! with exit code 125 (Docker's code for its own errors) unless the engine says otherwise
//! (126 not executable, 127 not found).

pub mod build;
pub mod compose;
pub mod container;
pub mod disk;
pub mod events;
pub mod format;
pub mod image;
pub mod kube;
pub mod network;
pub mod palette;
pub mod parse;
pub mod prompt;
pub mod registry;
pub mod system;
pub mod volume;

use crate::config::Config;
use crate::engine::Engine;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// berth: a daemonless container engine. Run without arguments to open the dashboard.
#[derive(Debug, Parser)]
#[command(name = "berth", version, about, disable_help_subcommand = true)]
pub struct Cli {
    /// State root (default /var/lib/berth, or `root:` in the config file).
    #[arg(long, global = true, env = "BERTH_ROOT")]
    pub root: Option<PathBuf>,
    /// Configuration file (default ~/.config/berth/config.yaml).
    #[arg(long, global = true, env = "BERTH_CONFIG")]
    pub config: Option<PathBuf>,
    /// The command (none opens the dashboard).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every command, with Docker's names and shortcuts.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Manage containers.
    #[command(subcommand)]
    Container(container::ContainerCommand),
    /// Manage images.
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// Manage volumes.
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
    /// Manage networks.
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Manage berth.
    #[command(subcommand)]
    System(system::SystemCommand),
    /// Create and run a new container from an image.
    Run(container::run::RunArgs),
    /// Create a new container.
    Create(container::run::CreateArgs),
    /// Start one or more stopped containers.
    Start(container::lifecycle::StartArgs),
    /// Stop one or more running containers.
    Stop(container::lifecycle::StopArgs),
    /// Restart one or more containers.
    Restart(container::lifecycle::StopArgs),
    /// Kill one or more running containers.
    Kill(container::lifecycle::KillArgs),
    /// Remove one or more containers.
    Rm(container::lifecycle::RmArgs),
    /// Pause all processes within one or more containers.
    Pause(container::lifecycle::NamesArgs),
    /// Unpause all processes within one or more containers.
    Unpause(container::lifecycle::NamesArgs),
    /// Block until one or more containers stop, then print their exit codes.
    Wait(container::lifecycle::NamesArgs),
    /// Rename a container.
    Rename(container::lifecycle::RenameArgs),
    /// List containers.
    Ps(container::ps::PsArgs),
    /// List port mappings or a specific mapping for the container.
    Port(network::PortArgs),
    /// Fetch the logs of a container.
    Logs(container::logs::LogsArgs),
    /// Return low-level information on containers or images.
    Inspect(container::inspect::InspectArgs),
    /// Inspect changes to files or directories on a container's filesystem.
    Diff(container::files::DiffArgs),
    /// Copy files/folders between a container and the local filesystem.
    Cp(container::files::CpArgs),
    /// Export a container's filesystem as a tar archive.
    Export(container::files::ExportArgs),
    /// List images.
    Images(image::ImagesArgs),
    /// Import the contents from a tarball to create a filesystem image.
    Import(image::ImportArgs),
    /// Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.
    Tag(image::TagArgs),
    /// Remove one or more images.
    Rmi(image::RmiArgs),
    /// Save one or more images to a tar archive.
    Save(image::SaveArgs),
    /// Load an image from a tar archive or STDIN.
    Load(image::LoadArgs),
    /// Show the history of an image.
    History(image::HistoryArgs),
    /// Execute a command in a running container.
    Exec(container::exec::ExecArgs),
    /// Attach local standard input, output, and error streams to a running container.
    Attach(container::exec::AttachArgs),
    /// Display the running processes of a container.
    Top(container::top::TopArgs),
    /// Display a live stream of container(s) resource usage statistics.
    Stats(container::stats::StatsArgs),
    /// Get real time events from berth.
    Events(events::EventsArgs),
    /// Download an image from a registry.
    Pull(registry::PullArgs),
    /// Upload an image to a registry.
    Push(registry::PushArgs),
    /// Log in to a registry.
    Login(registry::LoginArgs),
    /// Log out from a registry.
    Logout(registry::LogoutArgs),
    /// Show the berth version information.
    Version(system::VersionArgs),
    /// Display system-wide information.
    Info(system::InfoArgs),
    /// Build an image from a Dockerfile.
    Build(build::BuildArgs),
    /// Manage builds.
    #[command(subcommand)]
    Builder(build::BuilderCommand),
    /// Kubernetes YAML out of containers, and containers out of it.
    #[command(subcommand)]
    Kube(kube::KubeCommand),
    /// Define and run multi-container applications (compose files).
    Compose(compose::ComposeArgs),
}

/// What every command gets: the engine and the settings.
pub struct Ctx {
    /// The engine on the chosen state root.
    pub engine: Engine,
    /// The loaded configuration.
    pub config: Config,
}

/// Parses `args` (argv including the program name). On a parse error, or when `--help` or
/// `--version` was asked for, prints clap's message and gives the exit code instead (0 for
/// help and version, 125 otherwise).
pub fn parse_args(args: &[String]) -> Result<Cli, i32> {
    parse::parse(args).map_err(|e| {
        let code = match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
            _ => 125,
        };
        let _ = e.print();
        code
    })
}

/// Runs one command on the engine and settings the bootstrap opened; gives the exit code.
pub fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Container(c) => container::dispatch(ctx, c),
        Command::Image(c) => image::dispatch(ctx, c),
        Command::Volume(c) => volume::dispatch(ctx, c),
        Command::Network(c) => network::dispatch(ctx, c),
        Command::Port(a) => network::port(ctx, a),
        Command::System(c) => system::dispatch(ctx, c),
        Command::Run(a) => container::run::run(ctx, a),
        Command::Create(a) => container::run::create(ctx, a),
        Command::Start(a) => container::lifecycle::start(ctx, a),
        Command::Stop(a) => container::lifecycle::stop(ctx, a),
        Command::Restart(a) => container::lifecycle::restart(ctx, a),
        Command::Kill(a) => container::lifecycle::kill(ctx, a),
        Command::Rm(a) => container::lifecycle::rm(ctx, a),
        Command::Pause(a) => container::lifecycle::pause(ctx, a),
        Command::Unpause(a) => container::lifecycle::unpause(ctx, a),
        Command::Wait(a) => container::lifecycle::wait(ctx, a),
        Command::Rename(a) => container::lifecycle::rename(ctx, a),
        Command::Ps(a) => container::ps::ps(ctx, a),
        Command::Logs(a) => container::logs::logs(ctx, a),
        Command::Inspect(a) => container::inspect::inspect(ctx, a),
        Command::Diff(a) => container::files::diff(ctx, a),
        Command::Cp(a) => container::files::cp(ctx, a),
        Command::Export(a) => container::files::export(ctx, a),
        Command::Images(a) => image::images(ctx, a),
        Command::Import(a) => image::import(ctx, a),
        Command::Tag(a) => image::tag(ctx, a),
        Command::Rmi(a) => image::rmi(ctx, a),
        Command::Save(a) => image::save(ctx, a),
        Command::Load(a) => image::load(ctx, a),
        Command::History(a) => image::history(ctx, a),
        Command::Exec(a) => container::exec::exec(ctx, a),
        Command::Attach(a) => container::exec::attach(ctx, a),
        Command::Top(a) => container::top::top(ctx, a),
        Command::Stats(a) => container::stats::stats(ctx, a),
        Command::Events(a) => events::events(ctx, a),
        Command::Pull(a) => registry::pull(ctx, a),
        Command::Push(a) => registry::push(ctx, a),
        Command::Login(a) => registry::login(ctx, a),
        Command::Logout(a) => registry::logout(ctx, a),
        Command::Version(a) => system::version(ctx, a),
        Command::Info(a) => system::info(ctx, a),
        Command::Build(a) => build::build(ctx, a),
        Command::Builder(c) => build::builder(ctx, c),
        Command::Kube(c) => kube::dispatch(ctx, c),
        Command::Compose(a) => compose::dispatch(ctx, a),
    }
}
