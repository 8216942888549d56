//! Records written by hand into a state root, for tests that need a container or a
//! network on disk without running anything (the engine's own files, in its format).

#![allow(dead_code)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Writes `value` as JSON at `path`.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let data = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    std::fs::write(path, data)
}

/// Reads the JSON at `path`.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> std::io::Result<T> {
    serde_json::from_slice(&std::fs::read(path)?).map_err(std::io::Error::other)
}

/// A new random 64-hex-digit id, as the engine makes them.
pub fn random_id() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("random bytes");
    hex::encode(buf)
}

/// The start time of `pid` in clock ticks since boot (field 22 of `/proc/PID/stat`).
pub fn start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(19)?.parse().ok()
}
