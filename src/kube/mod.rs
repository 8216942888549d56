//! Kubernetes YAML out and in, over the engine's facade: `generate` writes berth containers
//! as a Pod or Deployment (with claims and a Service), `play` runs a file's Pods,
//! Deployments, Services, ConfigMaps and claims with berth, `down` removes what `play` made.
//!
//! What `play` makes carries the `io.berth.kube.*` labels, so `down` finds exactly that.
//! The CLI commands (`src/cli/kube/`) only parse flags and print.

pub mod down;
pub mod error;
pub mod generate;
pub mod model;
pub mod names;
pub mod play;
pub mod quantity;

pub use error::KubeError;

/// The prefix of the labels `play` puts on what it makes.
pub const LABEL_PREFIX: &str = "io.berth.kube.";
/// The kind of the object a container belongs to: `Pod` or `Deployment`.
pub const LABEL_KIND: &str = "io.berth.kube.kind";
/// The name of that object in the file.
pub const LABEL_OWNER: &str = "io.berth.kube.owner";
/// The pod (a Deployment's replica: `<deployment>-pod[-N]`) a container belongs to.
pub const LABEL_POD: &str = "io.berth.kube.pod";
/// The container's name in its pod spec.
pub const LABEL_CONTAINER: &str = "io.berth.kube.container";
/// On a volume made for a PersistentVolumeClaim: the claim's name.
pub const LABEL_CLAIM: &str = "io.berth.kube.claim";
/// On a PersistentVolumeClaim written by `generate`: the berth volume's name, when it is
/// not a valid claim name (`web_data` for claim `web-data`); `play` names the volume so.
pub const VOLUME_NAME_ANNOTATION: &str = "berth.io/volume-name";
/// On a volume made for a ConfigMap volume: the ConfigMap's name.
pub const LABEL_CONFIG_MAP: &str = "io.berth.kube.configmap";

#[cfg(test)]
mod tests;
