//! A container's healthcheck (its image's HEALTHCHECK under `--health-*`) as an exec
//! `livenessProbe`: the probe's argv (`CMD-SHELL` as `/bin/sh -c LINE`), and Docker's
//! interval, timeout, start period and retries in whole seconds.

use super::Source;
use crate::kube::model::{ExecAction, Probe};
use std::time::Duration;

/// The liveness probe of `src`, when it has an active healthcheck.
pub(super) fn liveness(src: &Source) -> Option<Probe> {
    let h = src.config.active_healthcheck()?;
    let command = h.probe_argv()?;
    let start = h.start_period_or_default();
    Some(Probe {
        exec: Some(ExecAction { command }),
        period_seconds: Some(seconds(h.interval_or_default())),
        timeout_seconds: Some(seconds(h.timeout_or_default())),
        initial_delay_seconds: (!start.is_zero()).then(|| seconds(start)),
        failure_threshold: Some(h.retries_or_default().max(1)),
        ..Probe::default()
    })
}

/// Whole seconds, at least 1 (Kubernetes' probes count in seconds).
fn seconds(d: Duration) -> u32 {
    (d.as_millis().div_ceil(1000) as u32).max(1)
}
