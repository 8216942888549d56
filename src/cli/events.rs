//! `events`: what happened to containers, images and volumes, from the journal every berth
//! process appends to; follows new events until `--until` or Ctrl-C.

use super::Ctx;
use crate::cli::container::logs::parse_since;
use crate::cli::format::render;
use crate::engine::events::Event;
use anyhow::{Result, bail};
use chrono::{DateTime, Local, Utc};
use clap::Args;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::time::Duration;

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

fn matches(e: &Event, filters: &[(String, String)]) -> bool {
    let mut keys: Vec<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.iter().all(|k| {
        filters
            .iter()
            .filter(|(fk, _)| fk == k)
            .any(|(_, v)| match *k {
                "type" => &e.kind == v,
                "event" => &e.action == v,
                "container" | "image" | "volume" | "network" => {
                    e.kind == *k
                        && (e.id.starts_with(v.as_str()) || e.attributes.get("name") == Some(v))
                }
                "label" => match v.split_once('=') {
                    Some((lk, lv)) => e.attributes.get(lk).is_some_and(|x| x == lv),
                    None => e.attributes.contains_key(v.as_str()),
                },
                _ => false,
            })
    })
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
    let mut filters = Vec::new();
    for f in &a.filter {
        let Some((k, v)) = f.split_once('=') else {
            bail!("invalid filter '{f}': use key=value")
        };
        if !matches!(
            k,
            "type" | "event" | "container" | "image" | "volume" | "network" | "label"
        ) {
            bail!(
                "invalid filter '{k}': use type, event, container, image, volume, network or label"
            );
        }
        filters.push((k.to_string(), v.to_string()));
    }
    let path = ctx.engine.paths().events();
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    let mut file = std::fs::File::open(&path)?;
    let start = Utc::now();
    if since.is_none() {
        file.seek(SeekFrom::End(0))?;
    }
    let mut reader = BufReader::new(file);
    let mut buf = String::new();
    loop {
        buf.clear();
        let n = reader.read_line(&mut buf)?;
        if n > 0 && buf.ends_with('\n') {
            if let Ok(e) = serde_json::from_str::<Event>(buf.trim_end()) {
                if until.is_some_and(|u| e.time > u) {
                    return Ok(0);
                }
                if since.is_none_or(|s| e.time >= s) && matches(&e, &filters) {
                    print(&e, a.format.as_deref())?;
                }
            }
            continue;
        }
        if n > 0 {
            // A line still being written: read it again whole.
            let pos = reader.stream_position()? - n as u64;
            reader.seek(SeekFrom::Start(pos))?;
        }
        if until.is_some_and(|u| Utc::now() >= u || u <= start) {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
