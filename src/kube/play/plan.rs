//! What `play` will make, worked out and checked whole before anything is made: the
//! volumes, and the pods with their containers' create options.

use super::container::{self, PodContext};
use super::parse::{Manifest, field};
use super::volumes::{self, PodPlace};
use crate::engine::{CreateOptions, MountKind, RestartPolicy};
use crate::kube::error::KubeError;
use crate::kube::model::PodSpec;
use crate::kube::{LABEL_CONTAINER, LABEL_KIND, LABEL_OWNER, LABEL_POD, VOLUME_NAME_ANNOTATION};
use base64::Engine as _;
use std::collections::BTreeMap;

/// The ConfigMaps of a file: name -> key -> value.
pub type ConfigMaps = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// How to play a file.
#[derive(Debug, Clone, Default)]
pub struct PlayOptions {
    /// The network the containers join (`--network`, else the configured default).
    pub network: String,
    /// The configured default for no-new-privileges.
    pub no_new_privileges: bool,
}

/// A volume to make (or fill again).
#[derive(Debug, Clone)]
pub struct PlannedVolume {
    /// Its name.
    pub name: String,
    /// Its `io.berth.kube.*` labels.
    pub labels: BTreeMap<String, String>,
    /// The files of a ConfigMap volume (relative path, content); `None` for a claim.
    pub files: Option<Vec<(String, Vec<u8>)>>,
}

/// A container to create.
#[derive(Debug, Clone)]
pub struct PlannedContainer {
    /// Its name in the pod spec.
    pub spec_name: String,
    /// Its declared ports: name, number, protocol (`tcp`/`udp`).
    pub ports: Vec<(Option<String>, u16, String)>,
    /// What to create.
    pub options: CreateOptions,
    /// Settings of it berth does not carry out.
    pub warnings: Vec<String>,
}

/// A pod: its containers.
#[derive(Debug, Clone)]
pub struct PlannedPod {
    /// The pod's name.
    pub name: String,
    /// Its labels (what Services select).
    pub labels: BTreeMap<String, String>,
    /// Its containers, in spec order.
    pub containers: Vec<PlannedContainer>,
}

/// Everything `play` makes.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Volumes, made first.
    pub volumes: Vec<PlannedVolume>,
    /// Pods, in file order (a Deployment's replicas in turn).
    pub pods: Vec<PlannedPod>,
    /// Settings berth does not carry out: one line each.
    pub warnings: Vec<String>,
}

/// Works out the plan of manifest `m`.
pub fn plan(m: &Manifest, opts: &PlayOptions) -> Result<Plan, KubeError> {
    let config_maps = config_maps(m)?;
    let mut p = Plan {
        warnings: m.warnings.clone(),
        ..Plan::default()
    };
    for d in &m.claims {
        if d.object.metadata.name.is_empty() {
            return Err(field(&d.label, "metadata.name", "missing"));
        }
        p.volumes.push(PlannedVolume {
            name: d.object.metadata.name.clone(),
            labels: BTreeMap::from([(
                crate::kube::LABEL_CLAIM.to_string(),
                d.object.metadata.name.clone(),
            )]),
            files: None,
        });
    }
    for d in &m.pods {
        let name = &d.object.metadata.name;
        if name.is_empty() {
            return Err(field(&d.label, "metadata.name", "missing"));
        }
        let place = PodPlace {
            label: &d.label,
            spec_path: "spec",
            pod: name,
            owner: name,
        };
        let pod = pod(
            &place,
            "Pod",
            &d.object.metadata.labels,
            &d.object.spec,
            &config_maps,
            opts,
            &mut p,
        )?;
        p.pods.push(pod);
    }
    for d in &m.deployments {
        let name = &d.object.metadata.name;
        if name.is_empty() {
            return Err(field(&d.label, "metadata.name", "missing"));
        }
        let spec = &d.object.spec;
        let labels = &spec.template.metadata.labels;
        if let Some((k, v)) = spec
            .selector
            .match_labels
            .iter()
            .find(|(k, v)| labels.get(*k) != Some(*v))
        {
            return Err(field(
                &d.label,
                "spec.selector.matchLabels",
                &format!("{k}={v} is not a label of the pod template"),
            ));
        }
        for i in 0..spec.replicas.unwrap_or(1) {
            let pod_name = match i {
                0 => format!("{name}-pod"),
                i => format!("{name}-pod-{i}"),
            };
            let place = PodPlace {
                label: &d.label,
                spec_path: "spec.template.spec",
                pod: &pod_name,
                owner: name,
            };
            let pod = pod(
                &place,
                "Deployment",
                labels,
                &spec.template.spec,
                &config_maps,
                opts,
                &mut p,
            )?;
            p.pods.push(pod);
        }
    }
    super::services::apply(m, opts, &mut p)?;
    volume_names(m, &mut p);
    Ok(p)
}

/// Claims whose annotation names the berth volume (`generate` of `web_data`) use that name.
fn volume_names(m: &Manifest, p: &mut Plan) {
    for d in &m.claims {
        let claim = &d.object.metadata.name;
        let Some(volume) = d.object.metadata.annotations.get(VOLUME_NAME_ANNOTATION) else {
            continue;
        };
        for v in p.volumes.iter_mut().filter(|v| &v.name == claim) {
            v.name = volume.clone();
        }
        let mounts = p
            .pods
            .iter_mut()
            .flat_map(|pod| pod.containers.iter_mut())
            .flat_map(|c| c.options.mounts.iter_mut());
        for mount in mounts.filter(|x| x.kind == MountKind::Volume && &x.source == claim) {
            mount.source = volume.clone();
        }
    }
}

/// The ConfigMaps' values, base64 ones decoded.
fn config_maps(m: &Manifest) -> Result<ConfigMaps, KubeError> {
    let mut out = ConfigMaps::new();
    for d in &m.config_maps {
        let cm = &d.object;
        let mut data: BTreeMap<String, Vec<u8>> = cm
            .data
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
            .collect();
        for (k, v) in &cm.binary_data {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .map_err(|e| {
                    field(
                        &d.label,
                        &format!("binaryData.{k}"),
                        &format!("not base64: {e}"),
                    )
                })?;
            data.insert(k.clone(), bytes);
        }
        out.insert(cm.metadata.name.clone(), data);
    }
    Ok(out)
}

/// One pod: its volumes planned, each container's options.
#[allow(clippy::too_many_arguments)]
fn pod(
    place: &PodPlace<'_>,
    kind: &str,
    labels: &BTreeMap<String, String>,
    spec: &PodSpec,
    config_maps: &ConfigMaps,
    opts: &PlayOptions,
    p: &mut Plan,
) -> Result<PlannedPod, KubeError> {
    if spec.containers.is_empty() {
        return Err(field(
            place.label,
            &format!("{}.containers", place.spec_path),
            "a pod needs at least one container",
        ));
    }
    if !spec.init_containers.is_empty() {
        p.warnings.push(format!(
            "{}: {}.initContainers are not run by berth: skipped",
            place.label, place.spec_path
        ));
    }
    let vols = volumes::plan(place, spec, config_maps, &mut p.volumes)?;
    let restart = match spec.restart_policy.as_deref().unwrap_or("Always") {
        "Always" => "always",
        "OnFailure" => "on-failure",
        "Never" => "no",
        other => {
            return Err(field(
                place.label,
                &format!("{}.restartPolicy", place.spec_path),
                &format!("'{other}': use Always, OnFailure or Never"),
            ));
        }
    };
    let mut base = CreateOptions {
        network: Some(opts.network.clone()),
        hostname: Some(
            spec.hostname
                .clone()
                .unwrap_or_else(|| place.pod.to_string()),
        ),
        restart: RestartPolicy {
            name: restart.into(),
            max_retry: 0,
        },
        ..CreateOptions::default()
    };
    base.security.no_new_privileges = opts.no_new_privileges;
    base.labels = labels.clone();
    base.labels.insert(LABEL_KIND.into(), kind.into());
    base.labels.insert(LABEL_OWNER.into(), place.owner.into());
    base.labels.insert(LABEL_POD.into(), place.pod.into());
    let ctx = PodContext {
        place: *place,
        volumes: &vols,
        config_maps,
    };
    let mut containers = Vec::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let mut planned = container::plan(&ctx, i, c, &base)?;
        planned
            .options
            .labels
            .insert(LABEL_CONTAINER.into(), c.name.clone());
        if containers
            .iter()
            .any(|o: &PlannedContainer| o.spec_name == planned.spec_name)
        {
            return Err(field(
                place.label,
                &format!("{}.containers[{i}].name", place.spec_path),
                &format!("container name '{}' is used twice", c.name),
            ));
        }
        p.warnings.append(&mut planned.warnings);
        containers.push(planned);
    }
    Ok(PlannedPod {
        name: place.pod.to_string(),
        labels: labels.clone(),
        containers,
    })
}
