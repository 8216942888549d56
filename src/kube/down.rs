//! `kube down`: removes what `play` made of a file — the containers of its Pods and
//! Deployments (found by their `io.berth.kube.*` labels, so nothing else is touched), the
//! volumes made for its ConfigMaps and, with `force` (podman's `--force`), the volumes of
//! its claims.

use crate::engine::Engine;
use crate::kube::play::Manifest;
use crate::kube::{LABEL_CLAIM, LABEL_CONFIG_MAP, LABEL_KIND, LABEL_OWNER, LABEL_POD};
use anyhow::{Context, Result};
use std::collections::BTreeSet;

/// What was removed.
#[derive(Debug, Clone, Default)]
pub struct Removed {
    /// The pods whose containers were removed, in order.
    pub pods: Vec<String>,
    /// The volumes removed.
    pub volumes: Vec<String>,
}

/// Removes the containers (and volumes) `play` made of manifest `m`.
pub fn down(engine: &Engine, m: &Manifest, force: bool) -> Result<Removed> {
    let owners: BTreeSet<(&str, &str)> = m
        .pods
        .iter()
        .map(|d| ("Pod", d.object.metadata.name.as_str()))
        .chain(
            m.deployments
                .iter()
                .map(|d| ("Deployment", d.object.metadata.name.as_str())),
        )
        .collect();
    let owned = |labels: &std::collections::BTreeMap<String, String>| match (
        labels.get(LABEL_KIND),
        labels.get(LABEL_OWNER),
    ) {
        (Some(k), Some(o)) => owners.contains(&(k.as_str(), o.as_str())),
        _ => false,
    };
    let mut removed = Removed::default();
    let mut containers = engine.containers()?;
    containers.reverse();
    for c in containers.iter().filter(|c| owned(&c.config.labels)) {
        engine
            .remove_container(c.id(), true, true)
            .with_context(|| format!("cannot remove container {}", c.name()))?;
        let pod = c.config.labels.get(LABEL_POD).cloned().unwrap_or_default();
        if !removed.pods.contains(&pod) {
            removed.pods.push(pod);
        }
    }
    let claims: BTreeSet<&str> = m
        .claims
        .iter()
        .map(|d| d.object.metadata.name.as_str())
        .chain(
            m.pods
                .iter()
                .map(|d| &d.object.spec)
                .chain(m.deployments.iter().map(|d| &d.object.spec.template.spec))
                .flat_map(|s| s.volumes.iter())
                .filter_map(|v| v.persistent_volume_claim.as_ref())
                .map(|c| c.claim_name.as_str()),
        )
        .collect();
    for v in engine.volumes()? {
        let labels = &v.meta.labels;
        let made_for_config_map = labels.contains_key(LABEL_CONFIG_MAP)
            && labels
                .get(LABEL_OWNER)
                .is_some_and(|o| owners.iter().any(|(_, n)| n == o));
        let made_for_claim = force
            && labels
                .get(LABEL_CLAIM)
                .is_some_and(|c| claims.contains(c.as_str()));
        if made_for_config_map || made_for_claim {
            engine
                .remove_volume(v.name(), false)
                .with_context(|| format!("cannot remove volume {}", v.name()))?;
            removed.volumes.push(v.name().to_string());
        }
    }
    Ok(removed)
}
