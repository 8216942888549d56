//! An exec `livenessProbe` as the container's healthcheck: its command (`/bin/sh -c LINE`
//! back as `CMD-SHELL`), `periodSeconds`, `timeoutSeconds`, `initialDelaySeconds` and
//! `failureThreshold` with Kubernetes' defaults (10s, 1s, 0s, 3). HTTP and TCP probes are
//! not run: a warning says so.

use crate::engine::{CreateOptions, HealthConfig};
use crate::kube::error::KubeError;
use crate::kube::model::Probe;
use std::time::Duration;

/// Sets the healthcheck of `o` from probe `p`; a probe berth does not run gives a warning.
pub fn apply(
    o: &mut CreateOptions,
    p: &Probe,
    err: &dyn Fn(&str, &str) -> KubeError,
) -> Result<Option<String>, KubeError> {
    let Some(exec) = &p.exec else {
        let kind = if p.http_get.is_some() {
            "httpGet"
        } else if p.tcp_socket.is_some() {
            "tcpSocket"
        } else {
            "this"
        };
        return Ok(Some(format!(
            "{kind} probes are not run by berth (only exec): no healthcheck"
        )));
    };
    if exec.command.is_empty() {
        return Err(err("exec.command", "empty: the probe needs a command"));
    }
    let test = match exec.command.as_slice() {
        [sh, c, line] if sh == "/bin/sh" && c == "-c" => {
            vec!["CMD-SHELL".to_string(), line.clone()]
        }
        argv => std::iter::once("CMD".to_string())
            .chain(argv.iter().cloned())
            .collect(),
    };
    let secs = |v: Option<u32>, default: u64| {
        Duration::from_secs(v.filter(|s| *s > 0).map_or(default, u64::from))
    };
    o.healthcheck = Some(HealthConfig {
        test,
        interval: Some(secs(p.period_seconds, 10)),
        timeout: Some(secs(p.timeout_seconds, 1)),
        start_period: p
            .initial_delay_seconds
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s.into())),
        start_interval: None,
        retries: Some(p.failure_threshold.filter(|f| *f > 0).unwrap_or(3)),
    });
    Ok(None)
}
