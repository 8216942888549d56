//! A pod's volumes as berth mounts: `hostPath` a bind, a claim a named volume, a ConfigMap
//! a volume of files made for the pod, `emptyDir` an anonymous volume (or a tmpfs for
//! `medium: Memory`).

use super::parse::field;
use super::plan::{ConfigMaps, PlannedVolume};
use crate::engine::{MountKind, MountSpec};
use crate::kube::error::KubeError;
use crate::kube::model::{PodSpec, Volume};
use crate::kube::{LABEL_CLAIM, LABEL_CONFIG_MAP, LABEL_OWNER, LABEL_POD};
use std::collections::BTreeMap;

/// A pod volume ready to mount: the kind and source of the mounts that use it.
#[derive(Debug, Clone)]
pub struct PodVolume {
    /// Bind, named volume, or tmpfs.
    pub kind: MountKind,
    /// The host path or the volume's name (empty: an anonymous volume).
    pub source: String,
    /// Mounted read-only whatever the mount says (ConfigMaps).
    pub read_only: bool,
}

impl PodVolume {
    /// The mount of this volume at `destination`.
    pub fn mount(&self, destination: &str, read_only: bool) -> MountSpec {
        MountSpec {
            kind: self.kind,
            source: self.source.clone(),
            destination: destination.to_string(),
            read_only: read_only || self.read_only,
            options: String::new(),
        }
    }
}

/// Where the pod is: for labels and names.
#[derive(Debug, Clone, Copy)]
pub struct PodPlace<'a> {
    /// `document N (Kind name)`.
    pub label: &'a str,
    /// The path of the pod spec in the document (`spec`, `spec.template.spec`).
    pub spec_path: &'a str,
    /// The pod's name.
    pub pod: &'a str,
    /// The name of the object in the file.
    pub owner: &'a str,
}

/// The volumes of `spec` by name; the volumes to make go to `made`.
pub fn plan(
    place: &PodPlace<'_>,
    spec: &PodSpec,
    config_maps: &ConfigMaps,
    made: &mut Vec<PlannedVolume>,
) -> Result<BTreeMap<String, PodVolume>, KubeError> {
    let mut out = BTreeMap::new();
    for (i, v) in spec.volumes.iter().enumerate() {
        let path = format!("{}.volumes[{i}]", place.spec_path);
        let pv = one(place, &path, v, config_maps, made)?;
        if out.insert(v.name.clone(), pv).is_some() {
            return Err(field(
                place.label,
                &format!("{path}.name"),
                &format!("volume name '{}' is used twice", v.name),
            ));
        }
    }
    Ok(out)
}

fn one(
    place: &PodPlace<'_>,
    path: &str,
    v: &Volume,
    config_maps: &ConfigMaps,
    made: &mut Vec<PlannedVolume>,
) -> Result<PodVolume, KubeError> {
    if v.name.is_empty() {
        return Err(field(place.label, &format!("{path}.name"), "missing"));
    }
    if let Some(h) = &v.host_path {
        if !h.path.starts_with('/') {
            return Err(field(
                place.label,
                &format!("{path}.hostPath.path"),
                &format!("'{}' is not an absolute path", h.path),
            ));
        }
        return Ok(PodVolume {
            kind: MountKind::Bind,
            source: h.path.clone(),
            read_only: false,
        });
    }
    if let Some(c) = &v.persistent_volume_claim {
        if c.claim_name.is_empty() {
            return Err(field(
                place.label,
                &format!("{path}.persistentVolumeClaim.claimName"),
                "missing",
            ));
        }
        add(
            made,
            PlannedVolume {
                name: c.claim_name.clone(),
                labels: BTreeMap::from([(LABEL_CLAIM.to_string(), c.claim_name.clone())]),
                files: None,
            },
        );
        return Ok(PodVolume {
            kind: MountKind::Volume,
            source: c.claim_name.clone(),
            read_only: c.read_only,
        });
    }
    if let Some(cm) = &v.config_map {
        let files = config_map_files(place.label, path, cm, config_maps)?;
        let name = format!("{}-{}", place.pod, v.name);
        add(
            made,
            PlannedVolume {
                name: name.clone(),
                labels: BTreeMap::from([
                    (LABEL_CONFIG_MAP.to_string(), cm.name.clone()),
                    (LABEL_POD.to_string(), place.pod.to_string()),
                    (LABEL_OWNER.to_string(), place.owner.to_string()),
                ]),
                files: Some(files),
            },
        );
        return Ok(PodVolume {
            kind: MountKind::Volume,
            source: name,
            read_only: true,
        });
    }
    if let Some(e) = &v.empty_dir {
        let memory = e.get("medium").and_then(|m| m.as_str()) == Some("Memory");
        return Ok(PodVolume {
            kind: if memory {
                MountKind::Tmpfs
            } else {
                MountKind::Volume
            },
            source: String::new(),
            read_only: false,
        });
    }
    Err(field(
        place.label,
        path,
        &format!(
            "volume '{}' has no source berth supports (hostPath, persistentVolumeClaim, configMap, emptyDir)",
            v.name
        ),
    ))
}

/// Adds `v` unless a volume of its name is planned already.
fn add(made: &mut Vec<PlannedVolume>, v: PlannedVolume) {
    if !made.iter().any(|o| o.name == v.name) {
        made.push(v);
    }
}

/// The files of a ConfigMap volume: each key (or each listed item) at its relative path.
fn config_map_files(
    label: &str,
    path: &str,
    cm: &crate::kube::model::ConfigMapVolume,
    config_maps: &ConfigMaps,
) -> Result<Vec<(String, Vec<u8>)>, KubeError> {
    let Some(data) = config_maps.get(&cm.name) else {
        if cm.optional {
            return Ok(Vec::new());
        }
        return Err(field(
            label,
            &format!("{path}.configMap.name"),
            &format!("ConfigMap '{}' is not in the file", cm.name),
        ));
    };
    if cm.items.is_empty() {
        return Ok(data.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    }
    let mut files = Vec::new();
    for (j, item) in cm.items.iter().enumerate() {
        let item_path = format!("{path}.configMap.items[{j}]");
        let Some(value) = data.get(&item.key) else {
            if cm.optional {
                continue;
            }
            return Err(field(
                label,
                &format!("{item_path}.key"),
                &format!("ConfigMap '{}' has no key '{}'", cm.name, item.key),
            ));
        };
        let safe = !item.path.is_empty()
            && !item.path.starts_with('/')
            && item.path.split('/').all(|p| p != ".." && !p.is_empty());
        if !safe {
            return Err(field(
                label,
                &format!("{item_path}.path"),
                &format!(
                    "'{}' must be a relative path without '..' components",
                    item.path
                ),
            ));
        }
        files.push((item.path.clone(), value.clone()));
    }
    Ok(files)
}
