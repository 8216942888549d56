//! Volume commands: volume create, ls, inspect, rm, prune.

use super::Ctx;
use super::format::{self, Column};
use super::prompt::{confirm, print_prune_report};
use crate::engine::Volume;
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;

/// `berth volume ...`
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum VolumeCommand {
    /// Create a volume.
    Create(CreateArgs),
    /// List volumes.
    #[command(alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on one or more volumes.
    Inspect(InspectArgs),
    /// Remove one or more volumes.
    #[command(alias = "remove")]
    Rm(RmArgs),
    /// Remove unused local volumes.
    Prune(PruneArgs),
}

/// `berth volume create`
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Volume name (random when omitted).
    pub name: Option<String>,
    /// Set metadata for a volume (`key=value`).
    #[arg(short = 'l', long = "label")]
    pub labels: Vec<String>,
    /// Volume driver name.
    #[arg(short = 'd', long, default_value = "local")]
    pub driver: String,
}

/// `berth volume ls`
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only display volume names.
    #[arg(short, long)]
    pub quiet: bool,
    /// Format output using a Go template, `table`, `table TEMPLATE` or `json`.
    #[arg(long)]
    pub format: Option<String>,
    /// Filter output (`dangling=true|false`, `name=NAME`, `label=KEY[=VALUE]`, `driver=local`).
    #[arg(short, long = "filter")]
    pub filters: Vec<String>,
}

/// `berth volume inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Volumes.
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Format output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// `berth volume rm`
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Volumes.
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Do not complain about volumes that do not exist.
    #[arg(short, long)]
    pub force: bool,
}

/// `berth volume prune`
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove all unused volumes, not just anonymous ones.
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

/// Runs a `volume` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: VolumeCommand) -> anyhow::Result<i32> {
    match cmd {
        VolumeCommand::Create(a) => create(ctx, a),
        VolumeCommand::Ls(a) => ls(ctx, a),
        VolumeCommand::Inspect(a) => inspect(ctx, a),
        VolumeCommand::Rm(a) => rm(ctx, a),
        VolumeCommand::Prune(a) => prune(ctx, a),
    }
}

fn create(ctx: &Ctx, a: CreateArgs) -> anyhow::Result<i32> {
    if a.driver != "local" {
        anyhow::bail!("volume driver '{}' is not supported: use 'local'", a.driver);
    }
    let labels = parse_labels(&a.labels)?;
    let v = ctx.engine.create_volume(a.name.as_deref(), labels)?;
    println!("{}", v.name());
    Ok(0)
}

/// Parses `-l key=value` (a bare `key` gets an empty value, as in Docker).
fn parse_labels(raw: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut labels = BTreeMap::new();
    for l in raw {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        if k.is_empty() {
            anyhow::bail!("invalid label '{l}': use key=value");
        }
        labels.insert(k.to_string(), v.to_string());
    }
    Ok(labels)
}

/// One `--filter` of `volume ls`.
enum Filter {
    Dangling(bool),
    Name(String),
    Label(String, Option<String>),
    Driver(String),
}

fn parse_filter(f: &str) -> anyhow::Result<Filter> {
    let Some((key, value)) = f.split_once('=') else {
        anyhow::bail!("bad format of filter '{f}': use key=value");
    };
    Ok(match key {
        "dangling" => match value {
            "true" | "1" => Filter::Dangling(true),
            "false" | "0" => Filter::Dangling(false),
            _ => anyhow::bail!("invalid filter 'dangling={value}': use true or false"),
        },
        "name" => Filter::Name(value.to_string()),
        "label" => match value.split_once('=') {
            Some((k, v)) => Filter::Label(k.to_string(), Some(v.to_string())),
            None => Filter::Label(value.to_string(), None),
        },
        "driver" => Filter::Driver(value.to_string()),
        _ => anyhow::bail!("invalid filter '{key}': use dangling, name, label or driver"),
    })
}

fn ls(ctx: &Ctx, a: LsArgs) -> anyhow::Result<i32> {
    let filters = a
        .filters
        .iter()
        .map(|f| parse_filter(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let needs_users = filters.iter().any(|f| matches!(f, Filter::Dangling(_)));
    let used: std::collections::HashSet<String> = if needs_users {
        ctx.engine
            .containers()?
            .into_iter()
            .flat_map(|c| c.config.mounts)
            .map(|m| m.source)
            .collect()
    } else {
        Default::default()
    };
    let keep = |v: &Volume| {
        filters.iter().all(|f| match f {
            Filter::Dangling(d) => used.contains(v.name()) != *d,
            Filter::Name(n) => v.name().contains(n.as_str()),
            Filter::Label(k, val) => v
                .meta
                .labels
                .get(k)
                .is_some_and(|have| val.as_ref().is_none_or(|want| want == have)),
            Filter::Driver(d) => &v.meta.driver == d,
        })
    };
    let volumes: Vec<Volume> = ctx.engine.volumes()?.into_iter().filter(keep).collect();
    if a.quiet {
        let mut out = std::io::stdout().lock();
        for v in &volumes {
            writeln!(out, "{}", v.name())?;
        }
        return Ok(0);
    }
    let items: Vec<serde_json::Value> = volumes.iter().map(list_item).collect();
    const COLUMNS: &[Column] = &[
        Column::new("DRIVER", "Driver"),
        Column::new("VOLUME NAME", "Name"),
        Column::new("LABELS", "Labels"),
        Column::new("MOUNTPOINT", "Mountpoint"),
        Column::new("SCOPE", "Scope"),
    ];
    // The default table shows only DRIVER and VOLUME NAME; the rest name headers for templates.
    let columns = if a.format.is_none() {
        &COLUMNS[..2]
    } else {
        COLUMNS
    };
    format::print_list(a.format.as_deref(), columns, &items)?;
    Ok(0)
}

/// The fields `volume ls --format` knows, as Docker names them.
fn list_item(v: &Volume) -> serde_json::Value {
    let labels: Vec<String> = v
        .meta
        .labels
        .iter()
        .map(|(k, val)| format!("{k}={val}"))
        .collect();
    serde_json::json!({
        "Driver": v.meta.driver,
        "Name": v.name(),
        "Labels": labels.join(","),
        "Mountpoint": v.mountpoint.to_string_lossy(),
        "Scope": "local",
        "Links": "N/A",
        "Size": "N/A",
    })
}

fn inspect(ctx: &Ctx, a: InspectArgs) -> anyhow::Result<i32> {
    format::print_inspect(&a.names, a.format.as_deref(), |n| {
        ctx.engine.volume(n).map(|v| v.inspect_json())
    })
}

fn rm(ctx: &Ctx, a: RmArgs) -> anyhow::Result<i32> {
    let mut code = 0;
    for name in &a.names {
        match ctx.engine.remove_volume(name, a.force) {
            Ok(()) => println!("{name}"),
            Err(e) => {
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = 1;
            }
        }
    }
    Ok(code)
}

fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<i32> {
    let what = if a.all {
        "all local volumes"
    } else {
        "anonymous local volumes"
    };
    if !a.force
        && !confirm(&format!(
            "WARNING! This will remove {what} not used by at least one container."
        ))?
    {
        return Ok(0);
    }
    let report = ctx.engine.prune_volumes(a.all)?;
    print_prune_report("Volumes", &report.deleted, report.reclaimed);
    Ok(0)
}
