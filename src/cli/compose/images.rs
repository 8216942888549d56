//! The images of a project: `compose build` (services with `build:`), `compose pull`
//! (services with only an image), and what `up` does first (build or pull what is
//! missing, rebuild with `--build`).

use super::progress::Progress;
use crate::cli::Ctx;
use crate::cli::registry::pull::for_create;
use crate::compose::{Project, Service, plan};
use crate::engine::{BuildEvent, BuildOptions, PullPolicy};
use anyhow::Result;
use clap::Args;
use std::io::Write;

/// `compose build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Do not use cache when building the image.
    #[arg(long = "no-cache")]
    pub no_cache: bool,
    /// Don't print anything to STDOUT.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Services (all with a build section when none).
    pub services: Vec<String>,
}

/// `compose pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// Pull without printing progress information.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Ignore images that can't be pulled.
    #[arg(long = "ignore-pull-failures")]
    pub ignore_pull_failures: bool,
    /// Services (all when none).
    pub services: Vec<String>,
}

/// Builds service `key`'s image, its steps' output on stderr unless `quiet`.
pub fn build_service(
    ctx: &Ctx,
    key: &str,
    svc: &Service,
    no_cache: bool,
    quiet: bool,
) -> Result<()> {
    let Some(b) = &svc.build else { return Ok(()) };
    let opts = BuildOptions {
        context: Some(b.context.clone()),
        dockerfile: b.dockerfile.as_ref().map(|d| b.context.join(d)),
        tags: vec![svc.image.clone()],
        build_args: b.args.clone(),
        target: b.target.clone(),
        labels: b.labels.clone(),
        no_cache,
        network: ctx.config.network.default.clone(),
        registries: ctx.config.registries.clone(),
        ..BuildOptions::default()
    };
    let mut err = std::io::stderr();
    let mut print = |e: BuildEvent| {
        if quiet {
            return;
        }
        let _ = match e {
            BuildEvent::Step {
                number,
                total,
                text,
            } => {
                writeln!(err, "[{key} {number}/{total}] {text}")
            }
            BuildEvent::Output(data) => err.write_all(&data),
            BuildEvent::Note(n) => writeln!(err, "{n}"),
            _ => Ok(()),
        };
    };
    ctx.engine.build(&opts, &mut print)?;
    Ok(())
}

/// Before `up`: builds the services with `build:` whose image is missing (all of them
/// with `--build`) and pulls the missing images of the others.
pub fn ensure(
    ctx: &Ctx,
    p: &Project,
    keys: &[String],
    rebuild: bool,
    progress: &Progress,
) -> Result<()> {
    for key in keys {
        let svc = p.service(key)?;
        let present = ctx.engine.image(&svc.image).is_ok();
        if svc.build.is_some() {
            if rebuild || !present {
                progress.working("Service", key, "Building");
                build_service(ctx, key, svc, false, false)?;
                progress.done("Service", key, "Built");
            }
        } else if !present {
            progress.working("Service", key, "Pulling");
            for_create(ctx, &svc.image, PullPolicy::Missing, true)?;
            progress.done("Service", key, "Pulled");
        }
    }
    Ok(())
}

/// `compose build`.
pub fn build(ctx: &Ctx, p: &Project, a: BuildArgs) -> Result<i32> {
    let progress = Progress::new();
    for key in plan::order(p, &a.services, false)? {
        let svc = p.service(&key)?;
        if svc.build.is_none() {
            continue;
        }
        build_service(ctx, &key, svc, a.no_cache, a.quiet)?;
        if !a.quiet {
            progress.done("Service", &key, "Built");
        }
    }
    Ok(0)
}

/// `compose pull`.
pub fn pull(ctx: &Ctx, p: &Project, a: PullArgs) -> Result<i32> {
    let progress = Progress::new();
    for key in plan::order(p, &a.services, false)? {
        let svc = p.service(&key)?;
        if svc.build.is_some() && ctx.engine.image(&svc.image).is_err() {
            // Built locally: nothing to pull (Compose skips it the same way).
            continue;
        }
        if !a.quiet {
            progress.working("Service", &key, "Pulling");
        }
        match for_create(ctx, &svc.image, PullPolicy::Always, true) {
            Ok(()) => {
                if !a.quiet {
                    progress.done("Service", &key, "Pulled");
                }
            }
            // As in Compose, a failure named and skipped; the exit code stays 0.
            Err(e) if a.ignore_pull_failures => {
                progress.failed("Service", &key, &format!("Error: {e}"));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(0)
}
