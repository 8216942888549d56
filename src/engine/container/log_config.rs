//! A container's log driver settings (`--log-opt`), as Docker's json-file driver takes
//! them: `max-size` (rotate at this size; unset: never), `max-file` (files kept, the live
//! one included) and `compress` (gzip the rotated files).

use super::error::ContainerError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only log driver berth has.
pub const JSON_FILE: &str = "json-file";

/// The log driver and its options, stored in the container's configuration and shown by
/// `inspect` as `HostConfig.LogConfig`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogConfig {
    /// The driver: `json-file`.
    pub driver: String,
    /// The driver's options (`max-size`, `max-file`, `compress`), as given.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            driver: JSON_FILE.into(),
            options: BTreeMap::new(),
        }
    }
}

/// When and how the log writer rotates a container's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// Rotate when the live file would grow past this many bytes; `None`: never (every
    /// line is kept).
    pub max_size: Option<u64>,
    /// Files kept, the live one included (at least 1).
    pub max_files: u32,
    /// Gzip the rotated files (`<log>.1.gz`, ...).
    pub compress: bool,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            max_size: None,
            max_files: 1,
            compress: false,
        }
    }
}

impl LogConfig {
    /// The rotation the options ask for, or Docker's error for an unknown option or a bad
    /// value.
    pub fn rotation(&self) -> Result<Rotation, ContainerError> {
        let bad = |m: String| ContainerError::LogOption(m);
        if self.driver != JSON_FILE {
            return Err(bad(format!(
                "log driver '{}' is not supported: berth has only the json-file driver",
                self.driver
            )));
        }
        for key in self.options.keys() {
            if !matches!(key.as_str(), "max-size" | "max-file" | "compress") {
                return Err(bad(format!(
                    "unknown log opt '{key}' for json-file log driver"
                )));
            }
        }
        let mut r = Rotation::default();
        if let Some(v) = self.options.get("max-size") {
            r.max_size = match v.trim() {
                "-1" => None,
                s => match parse_human_size(s) {
                    Some(0) => return Err(bad("max-size must be a positive number".into())),
                    Some(n) => Some(n),
                    None => return Err(bad(format!("invalid size: '{v}'"))),
                },
            };
        }
        if let Some(v) = self.options.get("max-file") {
            let n: i64 = v
                .trim()
                .parse()
                .map_err(|_| bad(format!("strconv.Atoi: parsing \"{v}\": invalid syntax")))?;
            if n < 1 {
                return Err(bad("max-file cannot be less than 1".into()));
            }
            r.max_files = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(v) = self.options.get("compress") {
            r.compress = parse_bool(v).ok_or_else(|| {
                bad(format!(
                    "strconv.ParseBool: parsing \"{v}\": invalid syntax"
                ))
            })?;
            if r.compress && (r.max_files < 2 || r.max_size.is_none()) {
                return Err(bad(
                    "compress cannot be true when max-file is less than 2 or max-size is not set"
                        .into(),
                ));
            }
        }
        Ok(r)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Docker's `units.FromHumanSize`: a number with an optional decimal unit (`k`, `m`, `g`,
/// `t`, `p`, 1000-based), optionally followed by `i` and/or `b` (`10m`, `10MB`, `1.5g`).
pub fn parse_human_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let mult: f64 = match unit {
        "" => 1.0,
        "k" => 1e3,
        "m" => 1e6,
        "g" => 1e9,
        "t" => 1e12,
        "p" => 1e15,
        _ => return None,
    };
    Some((n * mult) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> LogConfig {
        LogConfig {
            driver: JSON_FILE.into(),
            options: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn no_options_keep_every_line() {
        let r = LogConfig::default().rotation().expect("valid");
        assert_eq!(r.max_size, None);
        assert_eq!(r.max_files, 1);
        assert!(!r.compress);
    }

    #[test]
    fn dockers_options_and_units() {
        let r = opts(&[("max-size", "10m"), ("max-file", "3"), ("compress", "true")])
            .rotation()
            .expect("valid");
        assert_eq!(r.max_size, Some(10_000_000));
        assert_eq!(r.max_files, 3);
        assert!(r.compress);
        assert_eq!(parse_human_size("1.5k"), Some(1500));
        assert_eq!(parse_human_size("2MB"), Some(2_000_000));
        assert_eq!(parse_human_size("2MiB"), Some(2_000_000));
        assert_eq!(parse_human_size("4096"), Some(4096));
        assert_eq!(parse_human_size("lots"), None);
        assert_eq!(parse_human_size("10x"), None);
        assert_eq!(parse_human_size(""), None);
        assert_eq!(
            opts(&[("max-size", "-1")])
                .rotation()
                .expect("valid")
                .max_size,
            None
        );
    }

    #[test]
    fn dockers_errors() {
        let err = |o: &[(&str, &str)]| opts(o).rotation().expect_err("invalid").to_string();
        assert_eq!(
            err(&[("max-sise", "1m")]),
            "unknown log opt 'max-sise' for json-file log driver"
        );
        assert_eq!(err(&[("max-size", "lots")]), "invalid size: 'lots'");
        assert_eq!(
            err(&[("max-size", "0")]),
            "max-size must be a positive number"
        );
        assert_eq!(err(&[("max-file", "0")]), "max-file cannot be less than 1");
        assert!(err(&[("max-file", "x")]).contains("invalid syntax"));
        assert!(err(&[("compress", "yes")]).contains("invalid syntax"));
        assert!(err(&[("compress", "true"), ("max-size", "1m")]).starts_with("compress cannot"));
        let other = LogConfig {
            driver: "syslog".into(),
            options: BTreeMap::new(),
        };
        assert!(other.rotation().is_err());
    }
}
