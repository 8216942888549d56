//! The Kubernetes objects berth writes and reads, as minimal serde types.
//!
//! Why not the `k8s-openapi` crate: it generates every API group of every Kubernetes
//! version (hundreds of thousands of lines), which would add minutes to each clean build of
//! berth and several megabytes of rlibs per worktree, for the two dozen fields berth reads
//! and writes. These types hold only those fields, with Kubernetes' camelCase names; a
//! field berth does not know is ignored when reading (as `kubectl` ignores unknown
//! annotations), and empty fields are left out when writing.

mod meta;
mod pod;
mod workload;

pub use meta::{ObjectMeta, Quantity, TypeMeta};
pub use pod::{
    Capabilities, ConfigMapVolume, Container, ContainerPort, EnvFromSource, EnvVar, EnvVarSource,
    ExecAction, HostPathVolume, KeyRef, KeyToPath, NameRef, PodSpec, Probe, PvcVolume,
    ResourceRequirements, SecurityContext, Volume, VolumeMount,
};
pub use workload::{
    ConfigMap, Deployment, DeploymentSpec, LabelSelector, PersistentVolumeClaim, Pod, PodTemplate,
    PvcResources, PvcSpec, Service, ServicePort, ServiceSpec, TargetPort,
};
