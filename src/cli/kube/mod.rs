//! `berth kube`: Kubernetes YAML out (`generate`) and in (`play`, `down`). The work is in
//! `crate::kube`; these commands parse flags and print.

mod generate;
mod play;

use crate::cli::Ctx;
use clap::Subcommand;

/// `berth kube` subcommands (podman's names and flags).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum KubeCommand {
    /// Generate Kubernetes YAML (a Pod or Deployment, claims, a Service) from containers.
    Generate(generate::GenerateArgs),
    /// Create containers, volumes and published ports from Kubernetes YAML.
    Play(play::PlayArgs),
    /// Remove the containers and volumes kube play made from a Kubernetes YAML file.
    Down(play::DownArgs),
}

/// Runs a `kube` subcommand.
pub fn dispatch(ctx: &Ctx, c: KubeCommand) -> anyhow::Result<i32> {
    match c {
        KubeCommand::Generate(a) => generate::generate(ctx, a),
        KubeCommand::Play(a) => play::play(ctx, a),
        KubeCommand::Down(a) => play::down(ctx, a),
    }
}
