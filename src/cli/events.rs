//! `events`: what happened to containers, images and volumes, from the journal every berth
//! process appends to; follows new events until `--until` or Ctrl-C.

use super::Ctx;
use crate::cli::container::logs::parse_since;
use crate::cli::format::render;
use crate::engine::{Event, EventFilter};
use anyhow::{Result, anyhow};
use chrono::{DateTime, Local};
use clap::Args;
use std::io::Write;

/// `berth events`
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Show all events created since timestamp or duration (10m).
    #[arg(long)]
    pub since: Option<String>,
    /// Stream events until this timestamp or duration.
    #[arg(long)]
    pub until: Option<String>,
    /// Filter output based on conditions provided (type, event, container, image, volume, label).
    #[arg(short, long = "filter")]
    pub filter: Vec<String>,
    /// Format the output using a Go template, or `json`.
    #[arg(long)]
    pub format: Option<String>,
}

/// Docker's line: `TIME TYPE ACTION ID (k=v, ...)`.
pub fn line(e: &Event) -> String {
    let t: DateTime<Local> = e.time.with_timezone(&Local);
    let attrs: Vec<String> = e
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "{} {} {} {} ({})",
        t.format("%Y-%m-%dT%H:%M:%S%.9f%:z"),
        e.kind,
        e.action,
        e.id,
        attrs.join(", ")
    )
}

fn print(e: &Event, format: Option<&str>) -> Result<()> {
    let text = match format {
        Some("json") => serde_json::to_string(&serde_json::json!({
            "Type": e.kind, "Action": e.action, "Actor": {"ID": e.id, "Attributes": e.attributes},
            "time": e.time.timestamp(), "timeNano": e.time.timestamp_nanos_opt().unwrap_or(0),
        }))?,
        Some(f) => render(
            f,
            &serde_json::json!({
                "Type": e.kind, "Action": e.action, "ID": e.id,
                "Actor": {"ID": e.id, "Attributes": e.attributes},
                "Time": e.time.timestamp(),
            }),
        )?,
        None => line(e),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// `berth events`
pub fn events(ctx: &Ctx, a: EventsArgs) -> Result<i32> {
    let since = a.since.as_deref().map(parse_since).transpose()?;
    let until = a.until.as_deref().map(parse_since).transpose()?;
    // The engine's message, as a plain error (berth's own, exit 125).
    let filter = EventFilter::parse(&a.filter).map_err(|e| anyhow!(e.to_string()))?;
    for e in ctx.engine.events(filter, since, until)? {
        print(&e?, a.format.as_deref())?;
    }
    Ok(0)
}
