//! The objects of a file: Pod, Deployment, Service, ConfigMap, PersistentVolumeClaim.

use super::meta::{ObjectMeta, Quantity, TypeMeta};
use super::pod::PodSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A Pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pod {
    /// `v1`, `Pod`.
    #[serde(flatten)]
    pub type_meta: TypeMeta,
    /// Name and labels.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Containers and volumes.
    #[serde(default)]
    pub spec: PodSpec,
}

/// A Deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// `apps/v1`, `Deployment`.
    #[serde(flatten)]
    pub type_meta: TypeMeta,
    /// Name and labels.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Replicas and the pod template.
    #[serde(default)]
    pub spec: DeploymentSpec,
}

/// `spec` of a Deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentSpec {
    /// How many pods (1 when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Which pods are its own (must match the template's labels).
    #[serde(default)]
    pub selector: LabelSelector,
    /// The pods it makes.
    #[serde(default)]
    pub template: PodTemplate,
}

/// A label selector (`matchLabels` only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Labels a pod must all have.
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
}

/// `template` of a Deployment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PodTemplate {
    /// The pods' labels.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The pods' spec.
    #[serde(default)]
    pub spec: PodSpec,
}

/// A Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// `v1`, `Service`.
    #[serde(flatten)]
    pub type_meta: TypeMeta,
    /// Name (a DNS-1035 label) and labels.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Type, selector, ports.
    #[serde(default)]
    pub spec: ServiceSpec,
}

/// `spec` of a Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceSpec {
    /// `ClusterIP` (the default), `NodePort`, `LoadBalancer`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The pods it sends to.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    /// Its ports.
    #[serde(default)]
    pub ports: Vec<ServicePort>,
}

/// `ports[]` of a Service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// Its name (required when there are several).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `TCP` or `UDP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The Service's port.
    pub port: u16,
    /// The pods' port: a number or a container port's name (`port` when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<TargetPort>,
    /// The port on every node (`NodePort`, `LoadBalancer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
}

/// `targetPort`: a number or a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TargetPort {
    /// A port number.
    Number(u16),
    /// A container port's name.
    Name(String),
}

/// A ConfigMap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    /// `v1`, `ConfigMap`.
    #[serde(flatten)]
    pub type_meta: TypeMeta,
    /// Name.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Text values.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    /// Base64 values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub binary_data: BTreeMap<String, String>,
}

/// A PersistentVolumeClaim (a named volume for berth).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersistentVolumeClaim {
    /// `v1`, `PersistentVolumeClaim`.
    #[serde(flatten)]
    pub type_meta: TypeMeta,
    /// Name (the volume's).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Access modes and size.
    #[serde(default)]
    pub spec: PvcSpec,
}

/// `spec` of a PersistentVolumeClaim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PvcSpec {
    /// `ReadWriteOnce`, ...
    #[serde(default)]
    pub access_modes: Vec<String>,
    /// The size asked for.
    #[serde(default)]
    pub resources: PvcResources,
}

/// `resources` of a claim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PvcResources {
    /// `storage`.
    #[serde(default)]
    pub requests: BTreeMap<String, Quantity>,
}
