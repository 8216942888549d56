//! `berth kube play` and `berth kube down`.

use crate::cli::Ctx;
use crate::engine::PullPolicy;
use crate::kube::play::{self, PlayOptions};
use anyhow::{Context, Result};
use clap::Args;
use std::io::Read;

/// `kube play` flags.
#[derive(Debug, Args)]
pub struct PlayArgs {
    /// The network the containers join (default: the configured default network).
    #[arg(long, alias = "net")]
    pub network: Option<String>,
    /// Suppress the pull output.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// The Kubernetes YAML file (`-`: stdin).
    pub file: String,
}

/// `kube down` flags.
#[derive(Debug, Args)]
pub struct DownArgs {
    /// Also remove the volumes made for the file's PersistentVolumeClaims.
    #[arg(long)]
    pub force: bool,
    /// The Kubernetes YAML file that was played (`-`: stdin).
    pub file: String,
}

/// The file's manifest; warnings about kinds berth does not run go to stderr.
fn manifest(file: &str) -> Result<play::Manifest> {
    let text = if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the YAML from stdin")?;
        s
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?
    };
    play::parse(&text).with_context(|| file.to_string())
}

/// Runs `kube play`.
pub fn play(ctx: &Ctx, a: PlayArgs) -> Result<i32> {
    let m = manifest(&a.file)?;
    let opts = PlayOptions {
        network: a
            .network
            .clone()
            .unwrap_or_else(|| ctx.config.network.default.clone()),
        no_new_privileges: ctx.config.security.no_new_privileges,
    };
    let plan = play::plan(&m, &opts).with_context(|| a.file.clone())?;
    for w in &plan.warnings {
        eprintln!("WARNING: {w}");
    }
    let mut ensure = |image: &str| {
        crate::cli::registry::pull::for_create(ctx, image, PullPolicy::Missing, a.quiet)
    };
    let played = play::run(&ctx.engine, &plan, &mut ensure)?;
    for (pod, ids) in &played.pods {
        println!("Pod:\n{pod}\nContainers:");
        for id in ids {
            println!("{id}");
        }
        println!();
    }
    crate::cli::network::print_firewall_warnings(ctx, &opts.network);
    Ok(0)
}

/// Runs `kube down`.
pub fn down(ctx: &Ctx, a: DownArgs) -> Result<i32> {
    let m = manifest(&a.file)?;
    let removed = crate::kube::down::down(&ctx.engine, &m, a.force)?;
    println!("Pods stopped:");
    for p in &removed.pods {
        println!("{p}");
    }
    println!("Pods removed:");
    for p in &removed.pods {
        println!("{p}");
    }
    if a.force {
        println!("Volumes removed:");
        for v in &removed.volumes {
            println!("{v}");
        }
    }
    Ok(0)
}
