//! Docker's human wording, in one place for every front end: container status texts
//! (the daemon's `State.String()`), durations (go-units `HumanDuration`), `N minutes ago`,
//! and sizes (go-units `HumanSizeWithPrecision`, `BytesSize`).

use super::{Container, Status};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// `5 seconds ago`, `About an hour ago`, measured from the clock.
pub fn ago(t: DateTime<Utc>) -> String {
    ago_at(t, Utc::now())
}

/// `ago` measured from `now` (a time in the future reads `Less than a second ago`).
pub fn ago_at(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{} ago", duration(since(t, now)))
}

fn since(t: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - t).to_std().unwrap_or_default()
}

/// Docker's `units.HumanDuration`: `Less than a second`, `5 seconds`, `About a minute`,
/// `2 hours` (hours rounded to the nearest), `3 days`, `2 weeks`, `5 months`, `3 years`.
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

/// Docker's sizes (`HumanSizeWithPrecision(_, 3)`): decimal units with three significant
/// digits (`1.23MB`, `4.1kB`, `512B`).
pub fn size(bytes: u64) -> String {
    custom_size(bytes as f64, 1000.0, DECIMAL, 3)
}

/// Binary units with four significant digits (`BytesSize`), as `docker stats` and
/// `docker info` print memory (`23.47GiB`, `1.5MiB`).
pub fn bytes_size(bytes: u64) -> String {
    custom_size(bytes as f64, 1024.0, BINARY, 4)
}

/// A per-second rate in Docker's decimal size units (`12.3kB/s`).
pub fn rate(bytes_per_sec: f64) -> String {
    format!(
        "{}/s",
        custom_size(bytes_per_sec.max(0.0), 1000.0, DECIMAL, 3)
    )
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

/// Docker's STATUS column: `Up 5 seconds`, `Up 5 seconds (healthy)`, `Up 5 seconds (Paused)`,
/// `Exited (0) 3 minutes ago`, `Created`, `Restarting (1) 2 seconds ago`, `Dead`, `Removal In Progress`.
pub fn container_status(c: &Container) -> String {
    container_status_at(c, Utc::now())
}

/// `container_status` measured from `now`. As in Docker, a container that never started
/// reads `Created` whatever its recorded status.
pub fn container_status_at(c: &Container, now: DateTime<Utc>) -> String {
    let s = &c.state;
    let up = || duration(s.started_at.map(|t| since(t, now)).unwrap_or_default());
    let down = || duration(s.finished_at.map(|t| since(t, now)).unwrap_or_default());
    match s.status {
        Status::Running => match &s.health {
            Some(h) => format!("Up {} ({})", up(), h.ps_text()),
            None => format!("Up {}", up()),
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const MIN: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 24 * HOUR;

    #[test]
    fn durations_read_as_go_units_human_duration() {
        let cases: &[(Duration, &str)] = &[
            (Duration::ZERO, "Less than a second"),
            (Duration::from_millis(999), "Less than a second"),
            (Duration::from_secs(1), "1 second"),
            (Duration::from_secs(2), "2 seconds"),
            (Duration::from_secs(59), "59 seconds"),
            (Duration::from_secs(60), "About a minute"),
            (Duration::from_secs(119), "About a minute"),
            (Duration::from_secs(2 * MIN), "2 minutes"),
            (Duration::from_secs(59 * MIN + 59), "59 minutes"),
            (Duration::from_secs(HOUR), "About an hour"),
            (Duration::from_secs(HOUR + 29 * MIN), "About an hour"),
            // Hours round to the nearest: 1h30m is 2 hours, 2h29m is 2 hours.
            (Duration::from_secs(HOUR + 30 * MIN), "2 hours"),
            (Duration::from_secs(2 * HOUR + 29 * MIN), "2 hours"),
            (Duration::from_secs(2 * HOUR + 30 * MIN), "3 hours"),
            (Duration::from_secs(47 * HOUR), "47 hours"),
            (Duration::from_secs(47 * HOUR + 30 * MIN), "2 days"),
            (Duration::from_secs(2 * DAY), "2 days"),
            (Duration::from_secs(13 * DAY), "13 days"),
            (Duration::from_secs(14 * DAY), "2 weeks"),
            (Duration::from_secs(59 * DAY), "8 weeks"),
            (Duration::from_secs(60 * DAY), "2 months"),
            (Duration::from_secs(729 * DAY), "24 months"),
            (Duration::from_secs(730 * DAY), "2 years"),
            (Duration::from_secs(3650 * DAY), "10 years"),
        ];
        for (d, want) in cases {
            assert_eq!(duration(*d), *want, "{d:?}");
        }
    }

    #[test]
    fn sizes_read_as_go_units() {
        let decimal: &[(u64, &str)] = &[
            (0, "0B"),
            (512, "512B"),
            (999, "999B"),
            (1000, "1kB"),
            (1200, "1.2kB"),
            (12_345, "12.3kB"),
            (4_260_000, "4.26MB"),
            (45_300_000, "45.3MB"),
            (100_000_000, "100MB"),
            (1_234_567_890, "1.23GB"),
        ];
        for (b, want) in decimal {
            assert_eq!(size(*b), *want, "{b}");
        }
        let binary: &[(u64, &str)] = &[
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1KiB"),
            (1536 * 1024, "1.5MiB"),
            (25_200_000_000, "23.47GiB"),
        ];
        for (b, want) in binary {
            assert_eq!(bytes_size(*b), *want, "{b}");
        }
        assert_eq!(rate(2000.0), "2kB/s");
        assert_eq!(rate(0.0), "0B/s");
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    fn at(status: Status, started: Option<i64>, finished: Option<i64>, code: i32) -> Container {
        let mut c = Container {
            config: Default::default(),
            state: Default::default(),
        };
        c.state.status = status;
        c.state.started_at = started.map(|s| now() - chrono::Duration::seconds(s));
        c.state.finished_at = finished.map(|s| now() - chrono::Duration::seconds(s));
        c.state.exit_code = code;
        c
    }

    #[test]
    fn container_status_reads_as_docker_ps() {
        let h = HOUR as i64;
        let cases: &[(Container, &str)] = &[
            (at(Status::Running, Some(300), None, 0), "Up 5 minutes"),
            (
                at(Status::Running, Some(0), None, 0),
                "Up Less than a second",
            ),
            (
                at(Status::Paused, Some(30), None, 0),
                "Up 30 seconds (Paused)",
            ),
            (
                at(Status::Exited, Some(3 * h), Some(2 * h), 137),
                "Exited (137) 2 hours ago",
            ),
            (
                at(Status::Exited, Some(90), Some(61), 0),
                "Exited (0) About a minute ago",
            ),
            (at(Status::Created, None, None, 0), "Created"),
            // Never started, whatever the record says: Docker's `Created`.
            (at(Status::Exited, None, None, 0), "Created"),
            (
                at(Status::Restarting, Some(10), Some(3), 1),
                "Restarting (1) 3 seconds ago",
            ),
            (
                at(Status::Removing, Some(10), Some(3), 0),
                "Removal In Progress",
            ),
            (at(Status::Dead, Some(10), Some(3), 0), "Dead"),
        ];
        for (c, want) in cases {
            assert_eq!(container_status_at(c, now()), *want, "{:?}", c.state);
        }
    }

    #[test]
    fn ago_reads_as_docker() {
        assert_eq!(
            ago_at(now() - chrono::Duration::minutes(5), now()),
            "5 minutes ago"
        );
        assert_eq!(
            ago_at(now() + chrono::Duration::minutes(5), now()),
            "Less than a second ago"
        );
    }
}
