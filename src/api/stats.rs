//! `GET /containers/{id}/stats?stream`: Docker's stats document, once or each second.
//! The CPU counters are shaped so that Docker's formula (CPU delta over system delta,
//! times the CPUs) gives the engine's CPU % for the last second.

use super::body::{Handled, channel, ok_json};
use super::route::Target;
use super::state::Api;
use crate::engine::StatsSample;
use bytes::Bytes;
use serde_json::{Value, json};
use std::time::Duration;

/// Nanoseconds of one second of every CPU: the system delta of each document.
fn system_delta(ncpu: u64) -> u64 {
    1_000_000_000 * ncpu.max(1)
}

/// Docker's document for a reading, with `percent` the CPU use over the last second.
fn document(s: &StatsSample, percent: f64, ncpu: u64) -> Value {
    let now = chrono::Utc::now();
    let total = s.cpu_total_ns;
    // Docker: (cpu delta / system delta) * online CPUs * 100 = percent.
    let cpu_delta = (percent / 100.0 * 1_000_000_000.0) as u64;
    let system = now.timestamp_nanos_opt().unwrap_or(0).max(0) as u64 * ncpu.max(1);
    json!({
        "read": now.to_rfc3339(),
        "preread": (now - chrono::Duration::seconds(1)).to_rfc3339(),
        "id": s.id,
        "name": format!("/{}", s.name),
        "pids_stats": { "current": s.pids },
        "cpu_stats": {
            "cpu_usage": { "total_usage": total },
            "system_cpu_usage": system,
            "online_cpus": ncpu,
        },
        "precpu_stats": {
            "cpu_usage": { "total_usage": total.saturating_sub(cpu_delta) },
            "system_cpu_usage": system.saturating_sub(system_delta(ncpu)),
            "online_cpus": ncpu,
        },
        "memory_stats": { "usage": s.memory_usage, "limit": s.memory_limit, "stats": {} },
        "networks": { "eth0": { "rx_bytes": s.net_rx, "tx_bytes": s.net_tx } },
        "blkio_stats": { "io_service_bytes_recursive": [
            { "major": 0, "minor": 0, "op": "read", "value": s.block_read },
            { "major": 0, "minor": 0, "op": "write", "value": s.block_write },
        ] },
    })
}

/// `GET /containers/{id}/stats` (`stream` defaults to true, as Docker's).
pub async fn stats(api: &Api, id: &str, t: &Target) -> Handled {
    let once = matches!(t.get("stream"), Some("0" | "false" | "False")) || t.flag("one-shot");
    let ncpu = api.blocking(|e| e.info()).await?.host.ncpu as u64;
    let key = id.to_string();
    let first = api.blocking(move |e| e.stats(&key)).await?;
    let percent = first.recent_cpu_percent.unwrap_or(0.0);
    if once {
        return ok_json(&document(&first, percent, ncpu));
    }
    let (tx, reply) = channel("application/json");
    let api = api.clone();
    let id = first.id.clone();
    tokio::spawn(async move {
        let mut prev = first;
        let mut percent = percent;
        loop {
            let line = format!("{}\n", document(&prev, percent, ncpu));
            if tx.send(Bytes::from(line)).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
            let key = id.clone();
            let Ok(next) = api.blocking(move |e| e.stats(&key)).await else {
                break;
            };
            percent = next.cpu_percent(&prev);
            prev = next;
        }
    });
    Ok(reply)
}
