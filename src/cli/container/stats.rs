//! `stats`: a live table of containers' resource use, Docker's columns.

use crate::cli::Ctx;
use crate::cli::format::{Column, human, print_list};
use crate::engine::{ContainerId, StatsSample};
use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// `berth stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Show all containers (default shows just running).
    #[arg(short, long)]
    pub all: bool,
    /// Disable streaming stats and only pull the first result.
    #[arg(long = "no-stream")]
    pub no_stream: bool,
    /// Do not truncate output.
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    /// Format output using a custom template.
    #[arg(long)]
    pub format: Option<String>,
    /// Containers (default: all running).
    pub containers: Vec<String>,
}

/// The default columns.
pub const STATS_COLUMNS: &[Column] = &[
    Column::new("CONTAINER ID", "ID"),
    Column::new("NAME", "Name"),
    Column::new("CPU %", "CPUPerc"),
    Column::new("MEM USAGE / LIMIT", "MemUsage"),
    Column::new("MEM %", "MemPerc"),
    Column::new("NET I/O", "NetIO"),
    Column::new("BLOCK I/O", "BlockIO"),
    Column::new("PIDS", "PIDs"),
];

/// One row's template fields, as Docker names them.
pub fn stats_item(now: &StatsSample, prev: Option<&StatsSample>, no_trunc: bool) -> Value {
    let id = if no_trunc {
        now.id.as_str()
    } else {
        now.id.short()
    };
    let dash = !now.running;
    // Between this reading and the last one; on the first, the last second as the
    // container's shim sampled it.
    let cpu = prev
        .map(|p| now.cpu_percent(p))
        .or(now.recent_cpu_percent)
        .unwrap_or(0.0);
    let f = |s: String| if dash { "--".to_string() } else { s };
    json!({
        "Container": id,
        "ID": id,
        "Name": now.name,
        "CPUPerc": f(format!("{cpu:.2}%")),
        "MemUsage": if dash { "-- / --".to_string() } else {
            format!("{} / {}", human::bytes_size(now.memory_usage), human::bytes_size(now.memory_limit))
        },
        "MemPerc": f(format!("{:.2}%", now.memory_percent())),
        "NetIO": if dash { "-- / --".to_string() } else {
            format!("{} / {}", human::size(now.net_rx), human::size(now.net_tx))
        },
        "BlockIO": if dash { "-- / --".to_string() } else {
            format!("{} / {}", human::size(now.block_read), human::size(now.block_write))
        },
        "PIDs": if dash { "--".to_string() } else { now.pids.to_string() },
    })
}

/// `berth stats`
pub fn stats(ctx: &Ctx, a: StatsArgs) -> Result<i32> {
    let pick = || -> Result<Vec<_>> {
        if a.containers.is_empty() {
            Ok(ctx
                .engine
                .containers()?
                .into_iter()
                .filter(|c| a.all || c.state.status.has_shim())
                .collect())
        } else {
            a.containers
                .iter()
                .map(|n| Ok(ctx.engine.container(n)?))
                .collect()
        }
    };
    // The first frame comes at once: its CPU % is the last second's, from the samples
    // each container's shim keeps; later frames measure between frames, as Docker does.
    // A container too young for its shim to have a sample half a second old (or whose
    // shim keeps none) is measured over half a second instead.
    let read = || -> Result<Vec<StatsSample>> {
        Ok(pick()?.iter().map(|c| ctx.engine.stats_of(c)).collect())
    };
    let mut now = read()?;
    let mut prev: HashMap<ContainerId, StatsSample> = now
        .iter()
        .filter(|s| s.running && s.recent_cpu_percent.is_none())
        .map(|s| (s.id.clone(), s.clone()))
        .collect();
    if !prev.is_empty() {
        std::thread::sleep(Duration::from_millis(500));
        now = read()?;
    }
    loop {
        let rows: Vec<Value> = now
            .iter()
            .map(|s| stats_item(s, prev.get(&s.id), a.no_trunc))
            .collect();
        if !a.no_stream {
            // Clear the screen and home the cursor, as Docker redraws its table.
            print!("\x1b[2J\x1b[H");
        }
        let columns = STATS_COLUMNS;
        print_list(
            a.format.as_deref().filter(|f| *f != "table"),
            columns,
            &rows,
        )?;
        if a.no_stream {
            return Ok(0);
        }
        prev = now.into_iter().map(|s| (s.id.clone(), s)).collect();
        std::thread::sleep(Duration::from_secs(1));
        now = read()?;
    }
}
