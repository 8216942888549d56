//! `berth kube generate`: prints (or writes) the YAML of containers.

use crate::cli::Ctx;
use crate::kube::generate::{self, Kind};
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// What `--type` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkloadType {
    /// A Pod.
    Pod,
    /// A Deployment.
    Deployment,
}

/// `kube generate` flags.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The kind of workload to generate.
    #[arg(short = 't', long = "type", value_enum, default_value = "pod")]
    pub kind: WorkloadType,
    /// Also generate a Service for the ports.
    #[arg(short = 's', long)]
    pub service: bool,
    /// The replica count of a Deployment.
    #[arg(short = 'r', long)]
    pub replicas: Option<u32>,
    /// Write the YAML to this file instead of stdout.
    #[arg(short = 'f', long = "filename")]
    pub filename: Option<PathBuf>,
    /// Containers (one pod with all of them) and volumes (a claim each).
    #[arg(required = true)]
    pub names: Vec<String>,
}

/// Runs `kube generate`.
pub fn generate(ctx: &Ctx, a: GenerateArgs) -> Result<i32> {
    let kind = match (a.kind, a.replicas) {
        (WorkloadType::Pod, Some(_)) => {
            bail!("--replicas can only be set with --type=deployment")
        }
        (WorkloadType::Pod, None) => Kind::Pod,
        (WorkloadType::Deployment, r) => Kind::Deployment {
            replicas: r.unwrap_or(1),
        },
    };
    let (sources, volumes) = generate::collect(&ctx.engine, &a.names)?;
    let out = generate::generate(&sources, &volumes, kind, a.service);
    for w in &out.warnings {
        eprintln!("WARNING: {w}");
    }
    match &a.filename {
        Some(path) => {
            if path.exists() {
                bail!("cannot write to {}: the file exists", path.display());
            }
            crate::engine::write_atomic(path, out.yaml.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        }
        None => print!("{}", out.yaml),
    }
    Ok(0)
}
