//! `compose down`: stops and removes the project's containers (dependents first), then
//! its networks, and with `-v` its named volumes and the containers' anonymous ones.
//! Without a compose file, `-p NAME` finds the project's objects by their labels.

use super::progress::Progress;
use super::{ComposeArgs, resources};
use crate::cli::Ctx;
use crate::compose::{Project, plan};
use crate::engine::Container;
use anyhow::Result;
use clap::Args;

/// `compose down`.
#[derive(Debug, Args)]
pub struct DownArgs {
    /// Remove named volumes declared in the "volumes" section of the Compose file and
    /// anonymous volumes attached to containers.
    #[arg(short = 'v', long)]
    pub volumes: bool,
    /// Remove containers for services not defined in the Compose file.
    #[arg(long = "remove-orphans")]
    pub remove_orphans: bool,
    /// Specify a shutdown timeout in seconds.
    #[arg(short = 't', long)]
    pub timeout: Option<u32>,
}

/// The project (from its files), or only its name when there is no file but `-p` (or
/// `COMPOSE_PROJECT_NAME`) names it.
pub fn project_or_name(a: &ComposeArgs) -> Result<(Option<Project>, String)> {
    match super::project(a) {
        Ok(p) => {
            let name = p.name.clone();
            Ok((Some(p), name))
        }
        Err(e) => match (
            &a.project_name,
            e.downcast_ref::<crate::compose::ComposeError>(),
        ) {
            (Some(n), Some(crate::compose::ComposeError::NoFile(_))) => Ok((None, n.clone())),
            _ => Err(e),
        },
    }
}

/// `compose down`.
pub fn down(ctx: &Ctx, a: &ComposeArgs, d: &DownArgs) -> Result<i32> {
    let progress = Progress::new();
    let (p, name) = project_or_name(a)?;
    let all = resources::containers(ctx, &name, true)?;
    let (mut ours, orphans): (Vec<Container>, Vec<Container>) = all.into_iter().partition(|c| {
        p.as_ref()
            .is_none_or(|p| p.services.contains_key(resources::service_of(c)))
    });
    if d.remove_orphans {
        ours.extend(orphans);
    } else if !orphans.is_empty() {
        let names: Vec<&str> = orphans.iter().map(|c| c.name()).collect();
        eprintln!(
            "WARN[0000] Found orphan containers ([{}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.",
            names.join(" ")
        );
    }
    // Dependents first: the reverse of the start order.
    if let Some(p) = &p {
        let order = plan::order(p, &[], true)?;
        let rank = |c: &Container| {
            order
                .iter()
                .position(|k| k == resources::service_of(c))
                .unwrap_or(usize::MAX)
        };
        ours.sort_by_key(|c| std::cmp::Reverse(rank(c)));
    }
    for c in &ours {
        if c.state.status.has_shim() {
            progress.working("Container", c.name(), "Stopping");
            ctx.engine.stop_container(c.id(), d.timeout)?;
            progress.working("Container", c.name(), "Stopped");
        }
        progress.working("Container", c.name(), "Removing");
        ctx.engine.remove_container(c.id(), true, d.volumes)?;
        progress.done("Container", c.name(), "Removed");
    }
    for n in resources::project_networks(ctx, &name, p.as_ref())? {
        progress.working("Network", &n, "Removing");
        ctx.engine.remove_network(&n)?;
        progress.done("Network", &n, "Removed");
    }
    if d.volumes {
        for v in resources::project_volumes(ctx, &name, p.as_ref())? {
            progress.working("Volume", &v, "Removing");
            ctx.engine.remove_volume(&v, false)?;
            progress.done("Volume", &v, "Removed");
        }
    }
    Ok(0)
}
