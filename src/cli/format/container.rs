//! Containers as `ps` lists them: the template fields of one row and the default columns.

use super::Column;
use super::human;
use crate::engine::{Container, MountKind};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// `ps` default table: CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES.
pub const PS_COLUMNS: &[Column] = &[
    Column::new("CONTAINER ID", "ID"),
    Column::new("IMAGE", "Image"),
    Column::new("COMMAND", "Command"),
    Column::new("CREATED", "RunningFor"),
    Column::new("STATUS", "Status"),
    Column::new("PORTS", "Ports"),
    Column::new("NAMES", "Names"),
];

/// Headers of the other `ps` fields, for `--format 'table ...'` (pass `PS_HEADERS` to
/// `print_list` when a custom table format is given).
pub const PS_HEADERS: &[Column] = &[
    Column::new("CONTAINER ID", "ID"),
    Column::new("IMAGE", "Image"),
    Column::new("COMMAND", "Command"),
    Column::new("CREATED AT", "CreatedAt"),
    Column::new("CREATED", "RunningFor"),
    Column::new("STATUS", "Status"),
    Column::new("STATE", "State"),
    Column::new("PORTS", "Ports"),
    Column::new("NAMES", "Names"),
    Column::new("SIZE", "Size"),
    Column::new("LABELS", "Labels"),
    Column::new("MOUNTS", "Mounts"),
    Column::new("NETWORKS", "Networks"),
    Column::new("LOCAL VOLUMES", "LocalVolumes"),
];

/// One `ps` row with Docker's template fields (`{{.ID}}`, `{{.Command}}`, `{{.Status}}`...).
pub fn ps_item(c: &Container, no_trunc: bool) -> Value {
    ps_item_at(c, no_trunc, Utc::now())
}

/// `ps_item` with times measured from `now`.
pub fn ps_item_at(c: &Container, no_trunc: bool, now: DateTime<Utc>) -> Value {
    let cfg = &c.config;
    let command = cfg.argv().join(" ");
    let command = if no_trunc {
        command
    } else {
        ellipsis(&command, 20)
    };
    let labels: Vec<String> = cfg.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mounts: Vec<String> = cfg
        .mounts
        .iter()
        .filter(|m| m.kind != MountKind::Tmpfs)
        .map(|m| {
            if no_trunc {
                m.source.clone()
            } else {
                ellipsis(&m.source, 15)
            }
        })
        .collect();
    let local_volumes = cfg
        .mounts
        .iter()
        .filter(|m| m.kind == MountKind::Volume)
        .count();
    json!({
        "ID": if no_trunc { cfg.id.as_str() } else { cfg.short_id() },
        "Image": cfg.image,
        "Command": go_quote(&command),
        "CreatedAt": cfg.created.format("%Y-%m-%d %H:%M:%S %z %Z").to_string(),
        "RunningFor": human::ago_at(cfg.created, now),
        "Ports": cfg.ports_text(),
        "State": c.state.status.as_str(),
        "Status": human::container_status_at(c, now),
        "Size": "",
        "Names": cfg.name,
        "Labels": labels.join(","),
        "Mounts": mounts.join(","),
        "Networks": cfg.network_mode,
        "LocalVolumes": local_volumes.to_string(),
    })
}

/// Docker's `Ellipsis`: at most `max` characters, the last one `…` when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Go's `strconv.Quote` for printable text: double quotes, `\"` and `\\` escaped.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
