//! `compose ps`: the project's containers with Compose v2's columns (NAME, IMAGE, COMMAND,
//! SERVICE, CREATED, STATUS, PORTS); running ones unless `-a`.

use super::{ComposeArgs, resources};
use crate::cli::Ctx;
use crate::cli::format::container::ps_item;
use crate::cli::format::{Column, print_list};
use anyhow::Result;
use clap::Args;

/// `compose ps`.
#[derive(Debug, Args)]
pub struct PsArgs {
    /// Show all stopped containers (including those created by the run command).
    #[arg(short = 'a', long)]
    pub all: bool,
    /// Only display IDs.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Display services.
    #[arg(long)]
    pub services: bool,
    /// Format output using a custom template ('table', 'json' or a Go template).
    #[arg(long)]
    pub format: Option<String>,
    /// Services (all when none).
    pub service_names: Vec<String>,
}

const COLUMNS: &[Column] = &[
    Column::new("NAME", "Name"),
    Column::new("IMAGE", "Image"),
    Column::new("COMMAND", "Command"),
    Column::new("SERVICE", "Service"),
    Column::new("CREATED", "RunningFor"),
    Column::new("STATUS", "Status"),
    Column::new("PORTS", "Ports"),
];

/// `compose ps`.
pub fn ps(ctx: &Ctx, a: &ComposeArgs, ps: &PsArgs) -> Result<i32> {
    let (_, name) = super::down::project_or_name(a)?;
    let containers: Vec<_> = resources::containers(ctx, &name, ps.all)?
        .into_iter()
        .filter(|c| ps.all || c.state.status.has_shim())
        .filter(|c| {
            ps.service_names.is_empty()
                || ps
                    .service_names
                    .iter()
                    .any(|s| s == resources::service_of(c))
        })
        .collect();
    if ps.quiet {
        for c in &containers {
            println!("{}", c.id());
        }
        return Ok(0);
    }
    if ps.services {
        let mut seen = Vec::new();
        for c in &containers {
            let s = resources::service_of(c);
            if !seen.contains(&s) {
                println!("{s}");
                seen.push(s);
            }
        }
        return Ok(0);
    }
    let items: Vec<serde_json::Value> = containers
        .iter()
        .map(|c| {
            let mut v = ps_item(c, false);
            v["Name"] = c.name().into();
            v["Service"] = resources::service_of(c).into();
            v["Project"] = name.clone().into();
            v
        })
        .collect();
    print_list(ps.format.as_deref(), COLUMNS, &items)?;
    Ok(0)
}
