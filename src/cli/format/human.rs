//! Human-readable durations, sizes and container status texts, exactly as Docker prints them
//! (go-units `HumanDuration`, `HumanSizeWithPrecision`, `BytesSize`; the daemon's
//! `State.String()`).

use crate::engine::container::{Container, Status};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// `5 seconds ago`, `About an hour ago`.
pub fn ago(t: DateTime<Utc>) -> String {
    ago_at(t, Utc::now())
}

/// `ago` measured from `now`.
pub fn ago_at(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{} ago", duration(since(t, now)))
}

fn since(t: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - t).to_std().unwrap_or_default()
}

/// `Less than a second`, `5 seconds`, `About a minute`, `2 hours`, `3 days`...
pub fn duration(d: Duration) -> String {
    let seconds = d.as_secs();
    let minutes = seconds / 60;
    // go-units rounds hours to the nearest (d.Hours() + 0.5).
    let hours = (d.as_secs_f64() / 3600.0 + 0.5) as u64;
    match () {
        _ if seconds < 1 => "Less than a second".into(),
        _ if seconds == 1 => "1 second".into(),
        _ if seconds < 60 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", seconds / 3600 / 24 / 365),
    }
}

const DECIMAL: &[&str] = &["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/// Docker's sizes: decimal units with three significant digits (`1.23MB`, `4.1kB`, `512B`).
pub fn size(bytes: u64) -> String {
    custom_size(bytes as f64, 1000.0, DECIMAL, 3)
}

/// Binary units with four significant digits, as `docker info` prints memory (`23.47GiB`).
pub fn bytes_size(bytes: u64) -> String {
    custom_size(bytes as f64, 1024.0, BINARY, 4)
}

fn custom_size(mut size: f64, base: f64, units: &[&str], precision: usize) -> String {
    let mut i = 0;
    while size >= base && i + 1 < units.len() {
        size /= base;
        i += 1;
    }
    format!("{}{}", go_g(size, precision), units[i])
}

/// Go's `%.{precision}g`: shortest of fixed and exponent form, trailing zeros removed.
fn go_g(v: f64, precision: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let p = precision.max(1);
    let sci = format!("{:.*e}", p - 1, v);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{}e{sign}{:02}", trim_zeros(mantissa), exp.abs());
    }
    let decimals = usize::try_from(p as i32 - 1 - exp).unwrap_or(0);
    trim_zeros(&format!("{v:.decimals$}"))
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Docker's STATUS column: `Up 5 seconds`, `Up 5 seconds (Paused)`, `Exited (0) 3 minutes ago`,
/// `Created`, `Restarting (1) 2 seconds ago`, `Dead`, `Removal In Progress`.
pub fn container_status(c: &Container) -> String {
    container_status_at(c, Utc::now())
}

/// `container_status` measured from `now`.
pub fn container_status_at(c: &Container, now: DateTime<Utc>) -> String {
    let s = &c.state;
    let up = || duration(s.started_at.map(|t| since(t, now)).unwrap_or_default());
    let down = || duration(s.finished_at.map(|t| since(t, now)).unwrap_or_default());
    match s.status {
        Status::Running => format!("Up {}", up()),
        Status::Paused => format!("Up {} (Paused)", up()),
        Status::Restarting => format!("Restarting ({}) {} ago", s.exit_code, down()),
        Status::Removing => "Removal In Progress".into(),
        Status::Dead => "Dead".into(),
        Status::Created | Status::Exited => {
            if s.started_at.is_none() {
                "Created".into()
            } else if s.finished_at.is_none() {
                String::new()
            } else {
                format!("Exited ({}) {} ago", s.exit_code, down())
            }
        }
    }
}
