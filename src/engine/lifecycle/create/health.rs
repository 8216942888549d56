//! The container's healthcheck: the image's HEALTHCHECK (Docker's `Healthcheck` key of the
//! config blob, which OCI's config type drops) under the user's `--health-*` options, and
//! the image's SHELL that runs a `CMD-SHELL` check.

use crate::engine::container::HealthConfig;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::Image;
use crate::engine::{Engine, lifecycle::CreateOptions};

impl Engine {
    /// The healthcheck to record for a container of `image` created with `opts`.
    pub(super) fn plan_healthcheck(
        &self,
        image: &Image,
        opts: &CreateOptions,
    ) -> Result<Option<HealthConfig>> {
        if let Some(user) = &opts.healthcheck {
            user.validate()
                .map_err(|e| EngineError::Invalid(e.to_string()))?;
        }
        let from_image = self.image_healthcheck(image);
        Ok(HealthConfig::merge(
            opts.healthcheck.as_ref(),
            from_image.as_ref(),
        ))
    }

    /// The image's HEALTHCHECK, read from its config blob; `None` when it has none or the
    /// blob cannot be read.
    fn image_healthcheck(&self, image: &Image) -> Option<HealthConfig> {
        serde_json::from_value(self.docker_config_field(image, "Healthcheck")?).ok()
    }

    /// The image's SHELL (what runs `CMD-SHELL` healthchecks); empty when it has none.
    pub(super) fn image_shell(&self, image: &Image) -> Vec<String> {
        self.docker_config_field(image, "Shell")
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    /// A field of Docker's image config that OCI's config type drops, from the blob.
    fn docker_config_field(&self, image: &Image, key: &str) -> Option<serde_json::Value> {
        let raw = self.blobs().read(&image.id).ok()?;
        let blob: serde_json::Value = serde_json::from_slice(&raw).ok()?;
        blob.get("config")?
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
    }
}
