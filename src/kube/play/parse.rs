//! A Kubernetes YAML stream into the objects berth knows, each with its place in the file.

use crate::kube::error::{KubeError, doc_name};
use crate::kube::model::{ConfigMap, Deployment, PersistentVolumeClaim, Pod, Service};
use serde::Deserialize;

/// An object and where it was in the file.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    /// `document N (Kind name)`, for messages.
    pub label: String,
    /// The object.
    pub object: T,
}

/// The objects of a file, by kind, in file order.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Pods.
    pub pods: Vec<Doc<Pod>>,
    /// Deployments.
    pub deployments: Vec<Doc<Deployment>>,
    /// Services.
    pub services: Vec<Doc<Service>>,
    /// ConfigMaps.
    pub config_maps: Vec<Doc<ConfigMap>>,
    /// PersistentVolumeClaims.
    pub claims: Vec<Doc<PersistentVolumeClaim>>,
    /// Documents of other kinds: one line each.
    pub warnings: Vec<String>,
}

/// Parses every document of `text`; an empty document is skipped, an object of a kind berth
/// does not run is a warning, a bad value an error naming the document and the field.
pub fn parse(text: &str) -> Result<Manifest, KubeError> {
    let mut m = Manifest::default();
    for (i, de) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
        let index = i + 1;
        let value = serde_yaml_ng::Value::deserialize(de).map_err(|e| KubeError::Yaml {
            doc: index,
            why: e.to_string(),
        })?;
        if value.is_null() {
            continue;
        }
        let Some(map) = value.as_mapping() else {
            return Err(KubeError::Yaml {
                doc: index,
                why: "not a Kubernetes object (a mapping with apiVersion and kind)".into(),
            });
        };
        let text_of = |key: &str| {
            map.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let kind = text_of("kind");
        let name = map
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_string();
        if kind.is_empty() {
            let label = format!("document {index}");
            return Err(field(
                &label,
                "kind",
                "missing: every document needs a kind",
            ));
        }
        let label = doc_name(index, &kind, &name);
        match kind.as_str() {
            "Pod" => m.pods.push(typed(&label, value)?),
            "Deployment" => m.deployments.push(typed(&label, value)?),
            "Service" => m.services.push(typed(&label, value)?),
            "ConfigMap" => m.config_maps.push(typed(&label, value)?),
            "PersistentVolumeClaim" => m.claims.push(typed(&label, value)?),
            other => m.warnings.push(format!(
                "document {index}: kind {other} is not supported by berth kube play: skipped"
            )),
        }
    }
    Ok(m)
}

/// A document as `T`, the error naming the field whose value did not fit.
fn typed<T: serde::de::DeserializeOwned>(
    label: &str,
    value: serde_yaml_ng::Value,
) -> Result<Doc<T>, KubeError> {
    let object = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        field(label, &path, &e.into_inner().to_string())
    })?;
    Ok(Doc {
        label: label.to_string(),
        object,
    })
}

/// An error of field `field` of document `label`.
pub fn field(label: &str, field: &str, why: &str) -> KubeError {
    KubeError::Field {
        doc: label.to_string(),
        field: field.to_string(),
        why: why.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_sorted_and_unknown_ones_warned_about() {
        let m = parse(
            "kind: Pod\nmetadata: {name: a}\n---\n---\nkind: Secret\nmetadata: {name: s}\n---\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n",
        )
        .expect("parse");
        assert_eq!(m.pods.len(), 1);
        assert_eq!(m.config_maps[0].object.data["k"], "v");
        assert_eq!(
            m.warnings,
            vec!["document 3: kind Secret is not supported by berth kube play: skipped"]
        );
    }

    #[test]
    fn a_bad_value_names_the_document_and_the_field() {
        let e = parse(
            "kind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 70000\n",
        )
        .expect_err("bad port");
        let text = e.to_string();
        assert!(
            text.starts_with("document 1 (Pod web): spec.containers[0].ports[0].containerPort:"),
            "{text}"
        );
        let e = parse("metadata: {name: x}\n").expect_err("no kind");
        assert_eq!(
            e.to_string(),
            "document 1: kind: missing: every document needs a kind"
        );
    }
}
