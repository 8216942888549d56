//! A `livenessProbe` (exec) as the container's healthcheck.

use crate::engine::CreateOptions;
use crate::kube::error::KubeError;
use crate::kube::model::Probe;

/// Sets the healthcheck of `o` from probe `p` (nothing until berth runs healthchecks).
pub fn apply(
    _o: &mut CreateOptions,
    _p: &Probe,
    _err: &dyn Fn(&str, &str) -> KubeError,
) -> Result<(), KubeError> {
    Ok(())
}
