//! `logs`: print a container's output from its json-file log.

use crate::cli::Ctx;
use crate::engine::{LogOptions, Stream};
use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use clap::Args;
use std::io::Write;

/// `berth logs`
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Follow log output.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Number of lines to show from the end of the logs (or "all").
    #[arg(short = 'n', long, default_value = "all")]
    pub tail: String,
    /// Show timestamps.
    #[arg(short = 't', long)]
    pub timestamps: bool,
    /// Show logs since a timestamp (2013-01-02T13:23:37Z) or relative (42m).
    #[arg(long)]
    pub since: Option<String>,
    /// Container.
    pub container: String,
}

/// Parses `--since`: RFC 3339, a date, Unix seconds, or a duration ago (`10s`, `5m`, `2h`).
pub fn parse_since(s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Some(t) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(t.and_utc());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return DateTime::from_timestamp(secs as i64, 0)
            .ok_or_else(|| anyhow!("invalid --since '{s}'"));
    }
    let (num, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len()),
    );
    let n: f64 = num
        .parse()
        .map_err(|_| anyhow!("invalid --since '{s}': use a timestamp or a duration such as 10m"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(anyhow!(
                "invalid --since '{s}': use a timestamp or a duration such as 10m"
            ));
        }
    };
    Ok(Utc::now() - chrono::Duration::milliseconds((secs * 1000.0) as i64))
}

/// `berth logs`
pub fn logs(ctx: &Ctx, a: LogsArgs) -> Result<i32> {
    let tail = match a.tail.as_str() {
        "all" | "-1" => None,
        n => Some(
            n.parse::<usize>()
                .map_err(|_| anyhow!("invalid --tail '{n}': use a number or 'all'"))?,
        ),
    };
    let opts = LogOptions {
        tail,
        since: a.since.as_deref().map(parse_since).transpose()?,
        follow: a.follow,
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut failed = None;
    let follow = a.follow;
    ctx.engine.log_lines(&a.container, &opts, &mut |line| {
        let result = if line.stream == Stream::Stderr {
            out.flush().and_then(|_| {
                let mut e = std::io::stderr().lock();
                if a.timestamps {
                    write!(e, "{} ", line.time)?;
                }
                e.write_all(line.text.as_bytes())
            })
        } else {
            (|| {
                if a.timestamps {
                    write!(out, "{} ", line.time)?;
                }
                out.write_all(line.text.as_bytes())?;
                if follow {
                    out.flush()?;
                }
                Ok(())
            })()
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                // A closed pipe (`logs | head`) simply ends the output.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    failed = Some(e);
                }
                false
            }
        }
    })?;
    let _ = out.flush();
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok(0)
}
