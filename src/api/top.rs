//! `GET /containers/{id}/top`: the container's processes as `ps -ef` columns, Docker's
//! `Titles` + `Processes` document.

use super::body::{Handled, ok_json};
use super::state::Api;
use crate::engine::ProcessInfo;
use serde_json::json;

/// `ps -ef`'s TIME column: `HH:MM:SS`.
fn clock(secs: u64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

fn row(p: &ProcessInfo) -> Vec<String> {
    vec![
        p.user.clone(),
        p.pid.to_string(),
        p.ppid.to_string(),
        format!("{}", p.cpu_percent.round() as i64),
        p.started
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        p.tty.clone(),
        clock(p.cpu_seconds),
        p.command.clone(),
    ]
}

/// `GET /containers/{id}/top` (`ps_args` is not supported: always `-ef`'s columns).
pub async fn top(api: &Api, id: &str) -> Handled {
    let id = id.to_string();
    let procs = api.blocking(move |e| e.top(&id)).await?;
    ok_json(&json!({
        "Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
        "Processes": procs.iter().map(row).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_reads_as_ps_prints_it() {
        assert_eq!(clock(3723), "01:02:03");
        assert_eq!(clock(0), "00:00:00");
    }
}
