//! `compose start`, `stop` and `restart` of the project's existing containers (start in
//! dependency order, stop dependents first).

use super::progress::Progress;
use super::resources;
use crate::cli::Ctx;
use crate::compose::{Project, plan};
use crate::engine::Container;
use anyhow::{Result, bail};
use clap::Args;

/// `compose start`.
#[derive(Debug, Args)]
pub struct ServicesArgs {
    /// Services (all when none).
    pub services: Vec<String>,
}

/// `compose stop` and `compose restart`.
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Specify a shutdown timeout in seconds.
    #[arg(short = 't', long)]
    pub timeout: Option<u32>,
    /// Services (all when none).
    pub services: Vec<String>,
}

/// The containers of `services` in start order.
fn in_order(ctx: &Ctx, p: &Project, services: &[String]) -> Result<Vec<Container>> {
    let order = plan::order(p, services, false)?;
    let mut all = resources::containers(ctx, &p.name, false)?;
    all.retain(|c| order.iter().any(|k| k == resources::service_of(c)));
    all.sort_by_key(|c| order.iter().position(|k| k == resources::service_of(c)));
    Ok(all)
}

/// `compose start`.
pub fn start(ctx: &Ctx, p: &Project, a: ServicesArgs) -> Result<i32> {
    let progress = Progress::new();
    let containers = in_order(ctx, p, &a.services)?;
    if containers.is_empty() {
        bail!("service(s) not created: run 'berth compose up' first");
    }
    for c in containers {
        if c.state.status.has_shim() {
            continue;
        }
        progress.working("Container", c.name(), "Starting");
        ctx.engine.start_container(c.id())?;
        progress.done("Container", c.name(), "Started");
    }
    Ok(0)
}

/// `compose stop`.
pub fn stop(ctx: &Ctx, p: &Project, a: StopArgs) -> Result<i32> {
    let progress = Progress::new();
    let mut containers = in_order(ctx, p, &a.services)?;
    containers.reverse();
    for c in containers {
        if !c.state.status.has_shim() {
            continue;
        }
        progress.working("Container", c.name(), "Stopping");
        ctx.engine.stop_container(c.id(), a.timeout)?;
        progress.done("Container", c.name(), "Stopped");
    }
    Ok(0)
}

/// `compose restart`.
pub fn restart(ctx: &Ctx, p: &Project, a: StopArgs) -> Result<i32> {
    let progress = Progress::new();
    for c in in_order(ctx, p, &a.services)? {
        progress.working("Container", c.name(), "Restarting");
        ctx.engine.restart_container(c.id(), a.timeout)?;
        progress.done("Container", c.name(), "Started");
    }
    Ok(0)
}
