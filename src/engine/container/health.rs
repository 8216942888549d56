//! Healthchecks: what a container is asked to probe (`HealthConfig`, Docker's
//! `Config.Healthcheck`, merged from the image's HEALTHCHECK and the `--health-*` flags) and
//! what the probes found (`Health`, Docker's `State.Health`, written by the shim to the
//! container's `health.json`).

pub use super::health_error::HealthConfigError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Docker's default time between probes.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
/// Docker's default time a probe may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Docker's default time between probes during the start period.
pub const DEFAULT_START_INTERVAL: Duration = Duration::from_secs(5);
/// Docker's default number of consecutive failures that make a container unhealthy.
pub const DEFAULT_RETRIES: u32 = 3;
/// The shortest duration Docker accepts for an interval, timeout or period.
pub const MIN_DURATION: Duration = Duration::from_millis(1);
/// How many results `State.Health.Log` keeps (Docker's five).
pub const MAX_LOG_ENTRIES: usize = 5;
/// How many bytes of a probe's output are kept (Docker's 4096, then `...`).
pub const MAX_OUTPUT: usize = 4096;

/// A container's healthcheck, as Docker's `HealthConfig` (its JSON: `Test`, durations in
/// nanoseconds, zero or absent meaning "inherit from the image, else the default").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthConfig {
    /// `[]` (inherit the image's test), `["NONE"]` (disabled), `["CMD", program, args...]`
    /// or `["CMD-SHELL", "command line"]` (run by `/bin/sh -c`, or the image's SHELL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    /// Time between probes (`--health-interval`); `None`: the image's, else 30s.
    #[serde(default, with = "nanos", skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    /// Time one probe may take before it counts as failed (`--health-timeout`); `None`:
    /// the image's, else 30s.
    #[serde(default, with = "nanos", skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Time after the start during which failures do not count (`--health-start-period`);
    /// `None`: the image's, else 0s.
    #[serde(default, with = "nanos", skip_serializing_if = "Option::is_none")]
    pub start_period: Option<Duration>,
    /// Time between probes during the start period (`--health-start-interval`); `None`:
    /// the image's, else 5s.
    #[serde(default, with = "nanos", skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<Duration>,
    /// Consecutive failures that make the container unhealthy (`--health-retries`);
    /// `None`: the image's, else 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
}

impl HealthConfig {
    /// The check that disables the image's (`--no-healthcheck`, `HEALTHCHECK NONE`).
    pub fn disabled() -> HealthConfig {
        HealthConfig {
            test: vec!["NONE".into()],
            ..HealthConfig::default()
        }
    }

    /// A check run by `/bin/sh -c` (`--health-cmd`).
    pub fn shell(command: &str) -> HealthConfig {
        HealthConfig {
            test: vec!["CMD-SHELL".into(), command.into()],
            ..HealthConfig::default()
        }
    }

    /// Whether this check says "no healthcheck" (`["NONE"]`).
    pub fn is_disabled(&self) -> bool {
        self.test.first().is_some_and(|t| t == "NONE")
    }

    /// Whether there is a probe to run: a `CMD` or `CMD-SHELL` test.
    pub fn is_enabled(&self) -> bool {
        self.probe_argv().is_some()
    }

    /// The probe's argv inside the container, or `None` when nothing is to run.
    pub fn probe_argv(&self) -> Option<Vec<String>> {
        match self.test.split_first() {
            Some((kind, rest)) if kind == "CMD" && !rest.is_empty() => Some(rest.to_vec()),
            Some((kind, [line])) if kind == "CMD-SHELL" => {
                Some(vec!["/bin/sh".into(), "-c".into(), line.clone()])
            }
            _ => None,
        }
    }

    /// The user's check over the image's, as Docker merges them at create: the user's
    /// test and each duration or count the user gave win, the image's fill the rest.
    /// `None` when neither has one.
    pub fn merge(
        user: Option<&HealthConfig>,
        image: Option<&HealthConfig>,
    ) -> Option<HealthConfig> {
        let (user, image) = match (user, image) {
            (None, image) => return image.cloned(),
            (Some(u), None) => return Some(u.clone()),
            (Some(u), Some(i)) => (u, i),
        };
        Some(HealthConfig {
            test: if user.test.is_empty() {
                image.test.clone()
            } else {
                user.test.clone()
            },
            interval: user.interval.or(image.interval),
            timeout: user.timeout.or(image.timeout),
            start_period: user.start_period.or(image.start_period),
            start_interval: user.start_interval.or(image.start_interval),
            retries: user.retries.or(image.retries),
        })
    }

    /// Checks Docker's limits: a test that is `NONE`, `CMD ...` or `CMD-SHELL line`, and
    /// durations of at least 1ms when given. The message names the field.
    pub fn validate(&self) -> Result<(), HealthConfigError> {
        match self.test.first().map(String::as_str) {
            None | Some("NONE") | Some("CMD") | Some("CMD-SHELL") => {}
            Some(other) => return Err(HealthConfigError::Test(other.to_string())),
        }
        if !self.test.is_empty() && !self.is_disabled() && self.probe_argv().is_none() {
            return Err(HealthConfigError::NoCommand);
        }
        for (name, d) in [
            ("Interval", self.interval),
            ("Timeout", self.timeout),
            ("StartPeriod", self.start_period),
            ("StartInterval", self.start_interval),
        ] {
            if d.is_some_and(|d| d < MIN_DURATION) {
                return Err(HealthConfigError::TooShort(name));
            }
        }
        Ok(())
    }

    /// Time between probes, with Docker's default.
    pub fn interval_or_default(&self) -> Duration {
        self.interval.unwrap_or(DEFAULT_INTERVAL)
    }
    /// Time one probe may take, with Docker's default.
    pub fn timeout_or_default(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }
    /// The start period, with Docker's default (none).
    pub fn start_period_or_default(&self) -> Duration {
        self.start_period.unwrap_or(Duration::ZERO)
    }
    /// Time between probes during the start period, with Docker's default.
    pub fn start_interval_or_default(&self) -> Duration {
        self.start_interval.unwrap_or(DEFAULT_START_INTERVAL)
    }
    /// Consecutive failures that make the container unhealthy, with Docker's default.
    pub fn retries_or_default(&self) -> u32 {
        match self.retries {
            Some(0) | None => DEFAULT_RETRIES,
            Some(n) => n,
        }
    }
}

/// Durations as Docker's JSON has them: integer nanoseconds, 0 meaning unset.
mod nanos {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let n = Option::<i64>::deserialize(d)?.unwrap_or(0);
        if n < 0 {
            return Err(serde::de::Error::custom(
                "Healthcheck durations cannot be negative",
            ));
        }
        Ok((n > 0).then(|| Duration::from_nanos(n as u64)))
    }
}

/// A container's health, as Docker names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// No probe succeeded yet and not enough failed.
    Starting,
    /// The last probe succeeded.
    Healthy,
    /// `retries` probes in a row failed (or the container stopped).
    Unhealthy,
}

impl HealthStatus {
    /// Docker's word: `starting`, `healthy`, `unhealthy`.
    pub fn as_str(&self) -> &'static str {
        match self {
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }
}

/// One probe's result (an entry of `State.Health.Log`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthResult {
    /// When the probe started.
    pub start: DateTime<Utc>,
    /// When it ended (or was killed).
    pub end: DateTime<Utc>,
    /// Its exit code: 0 healthy, anything else a failure; -1 when it timed out or could
    /// not run.
    pub exit_code: i32,
    /// Its stdout and stderr, at most 4096 bytes (then `...`).
    pub output: String,
}

/// What the probes found so far: Docker's `State.Health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    /// starting, healthy or unhealthy.
    pub status: HealthStatus,
    /// Failed probes in a row (counted after the start period).
    pub failing_streak: u32,
    /// The last five results, oldest first.
    pub log: Vec<HealthResult>,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            status: HealthStatus::Starting,
            failing_streak: 0,
            log: Vec::new(),
        }
    }
}

impl Health {
    /// Records one result as Docker does: success makes the container healthy; a failure
    /// counts unless it came during the start period before any success, and `retries`
    /// counted failures in a row make it unhealthy. The log keeps the last five.
    /// `in_start_period` tells whether the probe started within the start period.
    pub fn record(&mut self, result: HealthResult, retries: u32, in_start_period: bool) {
        if result.exit_code == 0 {
            self.failing_streak = 0;
            self.status = HealthStatus::Healthy;
        } else if !(self.status == HealthStatus::Starting && in_start_period) {
            self.failing_streak += 1;
            if self.failing_streak >= retries {
                self.status = HealthStatus::Unhealthy;
            }
        }
        self.log.push(result);
        let extra = self.log.len().saturating_sub(MAX_LOG_ENTRIES);
        self.log.drain(..extra);
    }

    /// `health: starting`, `healthy` or `unhealthy`: the words `ps` puts in parentheses.
    pub fn ps_text(&self) -> &'static str {
        match self.status {
            HealthStatus::Starting => "health: starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }
}

/// Parses a Go duration as Docker's `--health-*` flags take it (`30s`, `1m30s`, `500ms`).
pub fn parse_duration(s: &str) -> Option<Duration> {
    crate::engine::build::parse_duration(s)
        .filter(|n| *n >= 0)
        .map(|n| Duration::from_nanos(n as u64))
}

/// A probe's output as Docker keeps it: the first 4096 bytes, `...` after when cut.
pub fn truncate_output(bytes: &[u8]) -> String {
    if bytes.len() <= MAX_OUTPUT {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    format!("{}...", String::from_utf8_lossy(&bytes[..MAX_OUTPUT]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(code: i32) -> HealthResult {
        let now = Utc::now();
        HealthResult {
            start: now,
            end: now,
            exit_code: code,
            output: String::new(),
        }
    }

    #[test]
    fn docker_json_shape() {
        let h = HealthConfig {
            test: vec!["CMD-SHELL".into(), "true".into()],
            interval: Some(Duration::from_secs(1)),
            retries: Some(2),
            ..Default::default()
        };
        let v = serde_json::to_value(&h).expect("json");
        assert_eq!(
            v,
            serde_json::json!({"Test": ["CMD-SHELL", "true"], "Interval": 1_000_000_000i64, "Retries": 2})
        );
        let back: HealthConfig =
            serde_json::from_value(serde_json::json!({"Test": ["CMD", "x"], "Timeout": 0}))
                .expect("parse");
        assert_eq!(back.timeout, None);
        assert!(
            serde_json::from_value::<HealthConfig>(serde_json::json!({"Interval": -1})).is_err()
        );
        assert_eq!(back.probe_argv(), Some(vec!["x".to_string()]));
    }

    #[test]
    fn merge_as_docker() {
        let image = HealthConfig {
            test: vec!["CMD".into(), "check".into()],
            interval: Some(Duration::from_secs(5)),
            retries: Some(2),
            ..Default::default()
        };
        let user = HealthConfig {
            interval: Some(Duration::from_secs(1)),
            ..Default::default()
        };
        let m = HealthConfig::merge(Some(&user), Some(&image)).expect("merged");
        assert_eq!(m.test, image.test);
        assert_eq!(m.interval, Some(Duration::from_secs(1)));
        assert_eq!(m.retries, Some(2));
        let off = HealthConfig::merge(Some(&HealthConfig::disabled()), Some(&image)).expect("m");
        assert!(off.is_disabled() && !off.is_enabled());
        assert_eq!(HealthConfig::merge(None, None), None);
    }

    #[test]
    fn validation() {
        assert!(HealthConfig::shell("true").validate().is_ok());
        let short = HealthConfig {
            interval: Some(Duration::from_micros(10)),
            ..HealthConfig::shell("true")
        };
        assert!(short.validate().is_err());
        let bad = HealthConfig {
            test: vec!["RUN".into()],
            ..Default::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn streaks_and_start_period() {
        let mut h = Health::default();
        h.record(result(1), 2, true);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Starting, 0));
        h.record(result(1), 2, false);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Starting, 1));
        h.record(result(1), 2, false);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Unhealthy, 2));
        h.record(result(0), 2, false);
        assert_eq!((h.status, h.failing_streak), (HealthStatus::Healthy, 0));
        for _ in 0..6 {
            h.record(result(0), 2, false);
        }
        assert_eq!(h.log.len(), MAX_LOG_ENTRIES);
    }

    #[test]
    fn output_is_cut_as_docker() {
        assert_eq!(truncate_output(b"ok\n"), "ok\n");
        let long = vec![b'a'; MAX_OUTPUT + 10];
        let t = truncate_output(&long);
        assert_eq!(t.len(), MAX_OUTPUT + 3);
        assert!(t.ends_with("..."));
    }
}
