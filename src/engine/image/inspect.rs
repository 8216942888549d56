//! `image inspect`: an image as Docker's API shows it (`Id`, `RepoTags`, `Config`, `RootFS`...).

use super::Image;
use crate::engine::Engine;
use crate::engine::error::Result;
use serde_json::{Map, Value, json};

/// `["80/tcp"]` as Docker's `{"80/tcp": {}}`, or null.
fn set_of(list: &Option<Vec<String>>) -> Value {
    match list {
        Some(l) if !l.is_empty() => Value::Object(
            l.iter()
                .map(|k| (k.clone(), json!({})))
                .collect::<Map<_, _>>(),
        ),
        _ => Value::Null,
    }
}

impl Image {
    /// The Docker-shaped inspect object; `layer_dir` maps a chain id to its directory.
    pub fn inspect_json(&self, layer_dir: impl Fn(&str) -> String) -> Value {
        let c = self.config.config().clone().unwrap_or_default();
        let mut config = json!({
            "Hostname": "",
            "Domainname": "",
            "User": c.user().clone().unwrap_or_default(),
            "AttachStdin": false,
            "AttachStdout": false,
            "AttachStderr": false,
            "ExposedPorts": set_of(c.exposed_ports()),
            "Tty": false,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": c.env(),
            "Cmd": c.cmd(),
            "Image": "",
            "Volumes": set_of(c.volumes()),
            "WorkingDir": c.working_dir().clone().unwrap_or_default(),
            "Entrypoint": c.entrypoint(),
            "OnBuild": Value::Null,
            "Labels": c.labels(),
        });
        if let Some(s) = c.stop_signal() {
            config["StopSignal"] = json!(s);
        }
        let comment = self
            .config
            .history()
            .as_ref()
            .and_then(|h| h.last())
            .and_then(|h| h.comment().clone())
            .unwrap_or_default();
        let lower: Vec<String> = self.layers.iter().rev().map(|l| layer_dir(l)).collect();
        json!({
            "Id": self.id,
            "RepoTags": self.repo_tags,
            "RepoDigests": self.repo_digests,
            "Parent": "",
            "Comment": comment,
            "Created": self.config.created().clone().unwrap_or_else(|| self.created.to_rfc3339()),
            "DockerVersion": "",
            "Author": self.config.author().clone().unwrap_or_default(),
            "Config": config,
            "Architecture": self.config.architecture().to_string(),
            "Variant": self.config.variant(),
            "Os": self.config.os().to_string(),
            "Size": self.size,
            "GraphDriver": {
                "Name": "overlay",
                "Data": {"LowerDir": lower.join(":")},
            },
            "RootFS": {
                "Type": "layers",
                "Layers": self.config.rootfs().diff_ids(),
            },
            "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"},
        })
    }
}

impl Engine {
    /// `image inspect NAME` as Docker's JSON object.
    pub fn image_inspect(&self, name: &str) -> Result<Value> {
        let img = self.image(name)?;
        let mut v = img.inspect_json(|l| self.layer_dir(l).display().to_string());
        // Docker's config fields that OCI's lacks (written by `build`), from the blob itself.
        if let Ok(raw) = self.blobs().read(&img.id)
            && let Ok(blob) = serde_json::from_slice::<Value>(&raw)
        {
            for key in ["Healthcheck", "OnBuild", "Shell"] {
                let field = &blob["config"][key];
                if !field.is_null() {
                    v["Config"][key] = field.clone();
                }
            }
        }
        Ok(v)
    }
}
