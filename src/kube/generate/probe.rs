//! A container's healthcheck as a `livenessProbe` (exec).

use super::Source;
use crate::kube::model::Probe;

/// The liveness probe of `src` (none until berth records healthchecks).
pub(super) fn liveness(_src: &Source) -> Option<Probe> {
    None
}
