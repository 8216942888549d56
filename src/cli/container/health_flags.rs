//! `--health-cmd`, `--health-interval`, `--health-timeout`, `--health-retries`,
//! `--health-start-period`, `--health-start-interval` and `--no-healthcheck` of
//! `run`/`create`, checked as Docker's CLI does and turned into the engine's `HealthConfig`.

use crate::engine::{HealthConfig, parse_go_duration};
use anyhow::{Result, anyhow, bail};
use clap::Args;
use std::time::Duration;

/// The healthcheck flags.
#[derive(Debug, Args, Clone, Default)]
pub struct HealthArgs {
    /// Command to run to check health (run by /bin/sh -c inside the container).
    #[arg(long = "health-cmd")]
    pub health_cmd: Option<String>,
    /// Time between running the check (ms|s|m|h) (default 30s).
    #[arg(long = "health-interval", allow_hyphen_values = true)]
    pub health_interval: Option<String>,
    /// Maximum time to allow one check to run (ms|s|m|h) (default 30s).
    #[arg(long = "health-timeout", allow_hyphen_values = true)]
    pub health_timeout: Option<String>,
    /// Consecutive failures needed to report unhealthy (default 3).
    #[arg(long = "health-retries", allow_hyphen_values = true)]
    pub health_retries: Option<i64>,
    /// Start period for the container to initialize before failures count (ms|s|m|h) (default 0s).
    #[arg(long = "health-start-period", allow_hyphen_values = true)]
    pub health_start_period: Option<String>,
    /// Time between running the check during the start period (ms|s|m|h) (default 5s).
    #[arg(long = "health-start-interval", allow_hyphen_values = true)]
    pub health_start_interval: Option<String>,
    /// Disable any container-specified HEALTHCHECK.
    #[arg(long = "no-healthcheck")]
    pub no_healthcheck: bool,
}

/// A duration flag: Go's syntax, not negative; 0 means "not set" as in Docker.
fn duration(flag: &str, value: Option<&str>) -> Result<Option<Duration>> {
    let Some(v) = value else { return Ok(None) };
    if v.starts_with('-') && v != "-0" {
        bail!("--{flag} cannot be negative");
    }
    let d = parse_go_duration(v.trim_start_matches('-')).ok_or_else(|| {
        anyhow!("invalid argument \"{v}\" for \"--{flag}\" flag: time: invalid duration \"{v}\"")
    })?;
    Ok((!d.is_zero()).then_some(d))
}

impl HealthArgs {
    /// The engine's healthcheck: `None` when no flag was given (the image's check runs).
    pub fn to_config(&self) -> Result<Option<HealthConfig>> {
        let interval = duration("health-interval", self.health_interval.as_deref())?;
        let timeout = duration("health-timeout", self.health_timeout.as_deref())?;
        let start_period = duration("health-start-period", self.health_start_period.as_deref())?;
        let start_interval = duration(
            "health-start-interval",
            self.health_start_interval.as_deref(),
        )?;
        let retries = match self.health_retries {
            Some(r) if r < 0 => bail!("--health-retries cannot be negative"),
            Some(r) => {
                Some(u32::try_from(r).map_err(|_| anyhow!("--health-retries is too large"))?)
            }
            None => None,
        }
        .filter(|r| *r != 0);
        let cmd = self.health_cmd.as_deref().filter(|c| !c.is_empty());
        let any = cmd.is_some()
            || interval.is_some()
            || timeout.is_some()
            || start_period.is_some()
            || start_interval.is_some()
            || retries.is_some();
        if self.no_healthcheck {
            if any {
                bail!("--no-healthcheck conflicts with --health-* options");
            }
            return Ok(Some(HealthConfig::disabled()));
        }
        if !any {
            return Ok(None);
        }
        Ok(Some(HealthConfig {
            test: cmd.map(|c| HealthConfig::shell(c).test).unwrap_or_default(),
            interval,
            timeout,
            start_period,
            start_interval,
            retries,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_to_config() {
        let a = HealthArgs {
            health_cmd: Some("true".into()),
            health_interval: Some("1s".into()),
            health_retries: Some(2),
            ..Default::default()
        };
        let c = a.to_config().expect("ok").expect("some");
        assert_eq!(c.test, vec!["CMD-SHELL", "true"]);
        assert_eq!(c.interval, Some(Duration::from_secs(1)));
        assert_eq!(c.retries, Some(2));
        assert_eq!(HealthArgs::default().to_config().expect("ok"), None);
        let off = HealthArgs {
            no_healthcheck: true,
            ..Default::default()
        };
        assert_eq!(off.to_config().expect("ok"), Some(HealthConfig::disabled()));
    }

    #[test]
    fn bad_flags() {
        let conflict = HealthArgs {
            no_healthcheck: true,
            health_cmd: Some("true".into()),
            ..Default::default()
        };
        assert!(conflict.to_config().is_err());
        let negative = HealthArgs {
            health_interval: Some("-1s".into()),
            ..Default::default()
        };
        let e = negative.to_config().expect_err("negative").to_string();
        assert!(e.contains("cannot be negative"), "{e}");
        let junk = HealthArgs {
            health_timeout: Some("soon".into()),
            ..Default::default()
        };
        assert!(junk.to_config().is_err());
    }
}
