//! Docker's wording for times and states: `Up 5 minutes`, `Exited (137) 2 hours ago`.

use crate::engine::container::{Container, Status};
use chrono::{DateTime, Utc};

/// Docker's human duration (`Less than a second`, `About a minute`, `3 hours`).
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    let (m, h, d) = (s / 60, s / 3600, s / 86400);
    match () {
        _ if s < 1 => "Less than a second".into(),
        _ if s == 1 => "1 second".into(),
        _ if s < 60 => format!("{s} seconds"),
        _ if m == 1 => "About a minute".into(),
        _ if m < 60 => format!("{m} minutes"),
        _ if h == 1 => "About an hour".into(),
        _ if h < 48 => format!("{h} hours"),
        _ if d < 14 => format!("{d} days"),
        _ if d < 60 => format!("{} weeks", d / 7),
        _ if d < 365 * 2 => format!("{} months", d / 30),
        _ => format!("{} years", d / 365),
    }
}

fn since(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<i64> {
    t.map(|t| (now - t).num_seconds())
}

/// The STATUS column as `docker ps` shows it.
pub fn status_text(c: &Container, now: DateTime<Utc>) -> String {
    let st = &c.state;
    let up = || {
        since(st.started_at, now)
            .map(duration)
            .unwrap_or_else(|| "Less than a second".into())
    };
    match st.status {
        Status::Created => "Created".into(),
        Status::Running => format!("Up {}", up()),
        Status::Paused => format!("Up {} (Paused)", up()),
        Status::Restarting => match since(st.finished_at, now) {
            Some(s) => format!("Restarting ({}) {} ago", st.exit_code, duration(s)),
            None => format!("Restarting ({})", st.exit_code),
        },
        Status::Exited => match since(st.finished_at, now) {
            Some(s) => format!("Exited ({}) {} ago", st.exit_code, duration(s)),
            None => format!("Exited ({})", st.exit_code),
        },
        Status::Removing => "Removal In Progress".into(),
        Status::Dead => "Dead".into(),
    }
}

/// Three significant digits with Go's `%g` look (`4.26`, `12.3`, `100`).
fn sig3(v: f64) -> String {
    let s = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn scaled(bytes: f64, base: f64, units: &[&str]) -> String {
    let mut v = bytes.max(0.0);
    let mut i = 0;
    while v >= base && i + 1 < units.len() {
        v /= base;
        i += 1;
    }
    format!("{}{}", sig3(v), units[i])
}

/// Docker's image size (`4.26MB`: decimal units, three significant digits).
pub fn size(bytes: u64) -> String {
    scaled(bytes as f64, 1000.0, &["B", "kB", "MB", "GB", "TB"])
}

/// Docker's memory size in `stats` (`1.5MiB`: binary units).
pub fn mem(bytes: u64) -> String {
    scaled(bytes as f64, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB"])
}

/// A per-second rate (`12.3kB/s`).
pub fn rate(bytes_per_sec: f64) -> String {
    format!(
        "{}/s",
        scaled(bytes_per_sec, 1000.0, &["B", "kB", "MB", "GB", "TB"])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_docker() {
        assert_eq!(duration(0), "Less than a second");
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(59), "59 seconds");
        assert_eq!(duration(61), "About a minute");
        assert_eq!(duration(300), "5 minutes");
        assert_eq!(duration(3700), "About an hour");
        assert_eq!(duration(3 * 3600), "3 hours");
        assert_eq!(duration(3 * 86400), "3 days");
    }

    #[test]
    fn sizes_read_like_docker() {
        assert_eq!(size(0), "0B");
        assert_eq!(size(4_260_000), "4.26MB");
        assert_eq!(size(12_345), "12.3kB");
        assert_eq!(size(100_000_000), "100MB");
        assert_eq!(mem(1536 * 1024), "1.5MiB");
        assert_eq!(rate(2000.0), "2kB/s");
    }
}
