//! `kube generate`: berth containers as Kubernetes YAML — a Pod (or a Deployment) with one
//! container per berth container, a PersistentVolumeClaim per named volume and, when asked,
//! a Service for their ports — as podman's `kube generate` writes it.
//!
//! [`collect`] reads what it needs through the engine's facade; [`generate`] is pure.

mod collect;
mod container;
mod probe;
mod yaml;

pub use collect::collect;

use crate::engine::ContainerConfig;
use crate::kube::model::{
    Deployment, DeploymentSpec, LabelSelector, ObjectMeta, PersistentVolumeClaim, Pod, PodSpec,
    PodTemplate, PvcResources, PvcSpec, Quantity, Service, ServicePort, ServiceSpec, TargetPort,
    TypeMeta, Volume,
};
use crate::kube::{LABEL_PREFIX, VOLUME_NAME_ANNOTATION, names};
use std::collections::{BTreeMap, BTreeSet};

/// What the image of a container sets itself (left out of the YAML, as podman does).
#[derive(Debug, Clone, Default)]
pub struct ImageDefaults {
    /// ENTRYPOINT.
    pub entrypoint: Vec<String>,
    /// CMD.
    pub cmd: Vec<String>,
    /// ENV (`K=V`).
    pub env: Vec<String>,
    /// WORKDIR.
    pub working_dir: String,
    /// USER.
    pub user: String,
}

/// One container to write, with what the engine knows around it.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The container's configuration.
    pub config: ContainerConfig,
    /// Its image's defaults.
    pub image: ImageDefaults,
    /// The names of its volumes that are anonymous (`-v /data`): `emptyDir` in the YAML.
    pub anonymous_volumes: BTreeSet<String>,
    /// For each bind source: whether it is a directory (`hostPath` type).
    pub bind_is_dir: BTreeMap<String, bool>,
}

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Pod.
    Pod,
    /// A Deployment of `replicas` pods.
    Deployment {
        /// Its replica count.
        replicas: u32,
    },
}

/// The YAML and what could not be said in it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The documents, `---` between them.
    pub yaml: String,
    /// One line per setting left out.
    pub warnings: Vec<String>,
}

/// The documents for `sources` (containers of one pod) and `volumes` (named volumes asked
/// for by name: a claim each).
pub fn generate(sources: &[Source], volumes: &[String], kind: Kind, service: bool) -> Generated {
    let mut warnings = Vec::new();
    let mut claims: Vec<String> = volumes.to_vec();
    let mut docs: Vec<serde_yaml_ng::Value> = Vec::new();
    let mut workload = None;
    if let Some(first) = sources.first() {
        let pod_name = format!(
            "{}-pod",
            names::dns1123_label(&first.config.name, "container")
        );
        let labels = pod_labels(sources, &pod_name);
        let spec = pod_spec(sources, kind, &mut claims, &mut warnings);
        workload = Some(match kind {
            Kind::Pod => to_value(&Pod {
                type_meta: type_meta("v1", "Pod"),
                metadata: meta(&pod_name, labels),
                spec,
            }),
            Kind::Deployment { replicas } => to_value(&Deployment {
                type_meta: type_meta("apps/v1", "Deployment"),
                metadata: meta(
                    &format!("{pod_name}-deployment"),
                    BTreeMap::from([("app".to_string(), pod_name.clone())]),
                ),
                spec: DeploymentSpec {
                    replicas: Some(replicas),
                    selector: LabelSelector {
                        match_labels: BTreeMap::from([("app".to_string(), pod_name.clone())]),
                    },
                    template: PodTemplate {
                        metadata: meta("", labels),
                        spec,
                    },
                },
            }),
        });
        if service {
            match self::service(sources, &pod_name) {
                Some(s) => docs.push(to_value(&s)),
                None => warnings.push(format!(
                    "no Service for {pod_name}: its containers publish and expose no port"
                )),
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out: Vec<serde_yaml_ng::Value> = claims
        .into_iter()
        .filter(|c| seen.insert(c.clone()))
        .map(|c| to_value(&claim(&c)))
        .collect();
    out.extend(workload);
    out.extend(docs);
    Generated {
        yaml: yaml::documents(&out),
        warnings,
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> serde_yaml_ng::Value {
    serde_yaml_ng::to_value(v).unwrap_or(serde_yaml_ng::Value::Null)
}

fn type_meta(api_version: &str, kind: &str) -> TypeMeta {
    TypeMeta {
        api_version: api_version.into(),
        kind: kind.into(),
    }
}

fn meta(name: &str, labels: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        labels,
        annotations: BTreeMap::new(),
    }
}

/// `app: POD` and the containers' labels made to fit Kubernetes' rules (berth's own
/// `io.berth.kube.*` left out).
fn pod_labels(sources: &[Source], pod_name: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for s in sources {
        for (k, v) in &s.config.labels {
            if k.starts_with(LABEL_PREFIX) {
                continue;
            }
            if let Some((k, v)) = names::label(k, v) {
                labels.insert(k, v);
            }
        }
    }
    labels.insert("app".to_string(), pod_name.to_string());
    labels
}

/// The containers and their volumes (each once); the restart policy of the first container.
fn pod_spec(
    sources: &[Source],
    kind: Kind,
    claims: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> PodSpec {
    let mut spec = PodSpec::default();
    let mut volumes: Vec<Volume> = Vec::new();
    for s in sources {
        let built = container::build(s, kind == Kind::Pod);
        spec.containers.push(built.container);
        for v in built.volumes {
            if !volumes.iter().any(|o| o.name == v.name) {
                volumes.push(v);
            }
        }
        claims.extend(built.claims);
        warnings.extend(built.warnings);
    }
    spec.volumes = volumes;
    if kind == Kind::Pod {
        spec.restart_policy = sources.first().map(|s| {
            match s.config.restart.name.as_str() {
                "always" | "unless-stopped" => "Always",
                "on-failure" => "OnFailure",
                _ => "Never",
            }
            .to_string()
        });
    }
    spec
}

/// A claim for named volume `volume` (1Gi: Kubernetes needs a size; berth's volumes have
/// none). A volume name that is no DNS label (`web_data`) gives claim `web-data`, with the
/// volume's own name in annotation [`VOLUME_NAME_ANNOTATION`] for `play`.
fn claim(volume: &str) -> PersistentVolumeClaim {
    let name = names::dns1123_label(volume, "volume");
    let mut metadata = meta(&name, BTreeMap::new());
    if name != volume {
        metadata
            .annotations
            .insert(VOLUME_NAME_ANNOTATION.into(), volume.into());
    }
    PersistentVolumeClaim {
        type_meta: type_meta("v1", "PersistentVolumeClaim"),
        metadata,
        spec: PvcSpec {
            access_modes: vec!["ReadWriteOnce".into()],
            resources: PvcResources {
                requests: BTreeMap::from([("storage".into(), Quantity("1Gi".into()))]),
            },
        },
    }
}

/// A Service for the pod: `NodePort` with the published ports (the host port as the
/// Service's port, and as its nodePort when in Kubernetes' node port range), else
/// `ClusterIP` with the exposed ports; `None` without ports.
fn service(sources: &[Source], pod_name: &str) -> Option<Service> {
    let mut ports: Vec<ServicePort> = Vec::new();
    let published: Vec<_> = sources
        .iter()
        .flat_map(|s| s.config.net.ports.iter())
        .filter(|b| b.host_port != 0)
        .collect();
    let node_port = !published.is_empty();
    let port_name = |port: u16, proto: &str| format!("{port}-{proto}");
    let proto = |p: &str| (p == "udp").then(|| "UDP".to_string());
    if node_port {
        for b in published {
            let p = ServicePort {
                name: Some(port_name(b.host_port, &b.protocol)),
                protocol: proto(&b.protocol),
                port: b.host_port,
                target_port: Some(TargetPort::Number(b.container_port)),
                node_port: (30000..=32767)
                    .contains(&b.host_port)
                    .then_some(b.host_port),
            };
            if !ports.iter().any(|o| o.name == p.name) {
                ports.push(p);
            }
        }
    } else {
        for e in sources
            .iter()
            .flat_map(|s| s.config.net.exposed_ports.iter())
        {
            let (port, protocol) = e.split_once('/').unwrap_or((e, "tcp"));
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            let p = ServicePort {
                name: Some(port_name(port, protocol)),
                protocol: proto(protocol),
                port,
                target_port: Some(TargetPort::Number(port)),
                node_port: None,
            };
            if !ports.iter().any(|o| o.name == p.name) {
                ports.push(p);
            }
        }
    }
    if ports.is_empty() {
        return None;
    }
    Some(Service {
        type_meta: type_meta("v1", "Service"),
        metadata: meta(
            &names::dns1035_label(pod_name),
            BTreeMap::from([("app".to_string(), pod_name.to_string())]),
        ),
        spec: ServiceSpec {
            kind: Some(if node_port { "NodePort" } else { "ClusterIP" }.into()),
            selector: BTreeMap::from([("app".to_string(), pod_name.to_string())]),
            ports,
        },
    })
}
