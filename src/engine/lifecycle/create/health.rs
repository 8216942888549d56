//! The container's healthcheck: the image's HEALTHCHECK (Docker's `Healthcheck` key of the
//! config blob, which OCI's config type drops) under the user's `--health-*` options.

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
            user.validate().map_err(EngineError::Invalid)?;
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
        let raw = self.blobs().read(&image.id).ok()?;
        let blob: serde_json::Value = serde_json::from_slice(&raw).ok()?;
        let field = blob.get("config")?.get("Healthcheck")?;
        if field.is_null() {
            return None;
        }
        serde_json::from_value(field.clone()).ok()
    }
}
