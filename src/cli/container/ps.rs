//! `ps` / `container ls`: Docker's columns, filters and `--format`.

use crate::cli::Ctx;
use crate::cli::format::container::{PS_COLUMNS, PS_HEADERS, ps_item};
use crate::cli::format::print_list;
use crate::engine::{Container, Status};
use anyhow::{Result, bail};
use clap::Args;

/// `berth ps`
#[derive(Debug, Args)]
pub struct PsArgs {
    /// Show all containers (default shows just running).
    #[arg(short, long)]
    pub all: bool,
    /// Only display container IDs.
    #[arg(short, long)]
    pub quiet: bool,
    /// Filter output based on conditions provided (id, name, label, status, exited, ancestor,
    /// health).
    #[arg(short, long = "filter")]
    pub filter: Vec<String>,
    /// Format output using a custom template ('table', 'table TEMPLATE', 'json', 'TEMPLATE').
    #[arg(long)]
    pub format: Option<String>,
    /// Don't truncate output.
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    /// Show n last created containers (includes all states).
    #[arg(short = 'n', long = "last", allow_hyphen_values = true)]
    pub last: Option<i64>,
    /// Show the latest created container (includes all states).
    #[arg(short = 'l', long)]
    pub latest: bool,
    /// Display total file sizes (accepted; sizes are not computed yet).
    #[arg(short = 's', long)]
    pub size: bool,
}

/// One `-f key=value` condition.
struct Filter {
    key: String,
    value: String,
}

fn parse_filters(raw: &[String]) -> Result<Vec<Filter>> {
    raw.iter()
        .map(|f| {
            let Some((k, v)) = f.split_once('=') else {
                bail!("invalid filter '{f}': use key=value");
            };
            match k {
                "health" if !matches!(v, "starting" | "healthy" | "unhealthy" | "none") => {
                    bail!(
                        "Unrecognised filter value for health: {v} (use starting, healthy, \
                         unhealthy or none)"
                    )
                }
                "id" | "name" | "label" | "status" | "exited" | "ancestor" | "health" => {
                    Ok(Filter {
                        key: k.to_string(),
                        value: v.to_string(),
                    })
                }
                _ => bail!(
                    "invalid filter '{k}': use id, name, label, status, exited, ancestor or health"
                ),
            }
        })
        .collect()
}

fn matches(c: &Container, f: &Filter) -> bool {
    match f.key.as_str() {
        "id" => c.config.id.starts_with(&f.value),
        "name" => c.config.name.contains(&f.value),
        "label" => match f.value.split_once('=') {
            Some((k, v)) => c.config.labels.get(k).is_some_and(|x| x == v),
            None => c.config.labels.contains_key(&f.value),
        },
        "status" => c.state.status.as_str() == f.value,
        "exited" => c.state.status == Status::Exited && c.state.exit_code.to_string() == f.value,
        "health" => {
            c.state
                .health
                .as_ref()
                .map_or("none", |h| h.status.as_str())
                == f.value
        }
        "ancestor" => {
            c.config.image == f.value
                || c.config.image_id == f.value
                || c.config.image_id.short() == f.value
                || c.config.image.split(':').next() == Some(f.value.as_str())
        }
        _ => false,
    }
}

/// Filters by key: conditions with the same key are alternatives, different keys all apply.
fn keep(c: &Container, filters: &[Filter]) -> bool {
    let mut keys: Vec<&str> = filters.iter().map(|f| f.key.as_str()).collect();
    keys.dedup();
    keys.iter().all(|k| {
        filters
            .iter()
            .filter(|f| f.key == *k)
            .any(|f| matches(c, f))
    })
}

/// `berth ps`
pub fn ps(ctx: &Ctx, a: PsArgs) -> Result<i32> {
    let filters = parse_filters(&a.filter)?;
    let limit = if a.latest {
        Some(1)
    } else {
        a.last.filter(|n| *n > 0)
    };
    let show_all = a.all
        || limit.is_some()
        || filters
            .iter()
            .any(|f| f.key == "status" || f.key == "exited");
    let mut list: Vec<Container> = ctx
        .engine
        .containers()?
        .into_iter()
        .filter(|c| show_all || c.state.status.has_shim())
        .filter(|c| keep(c, &filters))
        .collect();
    if let Some(n) = limit {
        list.truncate(n as usize);
    }
    if a.quiet {
        for c in &list {
            println!(
                "{}",
                if a.no_trunc {
                    c.id()
                } else {
                    c.config.short_id()
                }
            );
        }
        return Ok(0);
    }
    // The network records are read only when the output shows them (`{{.Networks}}`, json).
    let memberships = a
        .format
        .as_deref()
        .filter(|f| f.contains("Networks") || f.trim() == "json")
        .map(|_| ctx.engine.network_memberships());
    let items: Vec<_> = list
        .iter()
        .map(|c| {
            let mut item = ps_item(c, a.no_trunc);
            if let Some(m) = &memberships {
                item["Networks"] = m.names_of(&c.config).into();
            }
            item
        })
        .collect();
    let columns = if a.format.is_some() {
        PS_HEADERS
    } else {
        PS_COLUMNS
    };
    let format = a.format.as_deref().filter(|f| *f != "table");
    print_list(format, columns, &items)?;
    Ok(0)
}
