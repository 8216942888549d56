//! What `build` is asked (`BuildOptions`) and what it made (`BuildOutcome`).

use crate::engine::error::EngineError;
use crate::engine::registry::{Credentials, Platform, RegistryOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The context directory; None for no context (`build -` with a Dockerfile on stdin).
    pub context: Option<PathBuf>,
    /// `-f`: the Dockerfile's path (default `<context>/Dockerfile`).
    pub dockerfile: Option<PathBuf>,
    /// The Dockerfile's text when it does not come from a file (stdin).
    pub dockerfile_text: Option<String>,
    /// `-t`, in order.
    pub tags: Vec<String>,
    /// `--build-arg K=V`.
    pub build_args: BTreeMap<String, String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--target`.
    pub target: Option<String>,
    /// `--label`.
    pub labels: BTreeMap<String, String>,
    /// The network RUN steps use (`none` unless configured).
    pub network: String,
    /// Registry settings for pulling missing base images.
    pub registries: RegistryOptions,
    /// Credentials for pulling base images, by registry host (`normalize_registry`'s
    /// form), used instead of the saved ones (an API client's `X-Registry-Config`).
    pub registry_credentials: BTreeMap<String, Credentials>,
    /// Set to stop the build (between steps, and a RUN's container is killed).
    pub cancel: Option<Arc<AtomicBool>>,
    /// `--pull`: pull every base image again, even when it is here.
    pub pull: bool,
    /// `--platform`: the platform to build for; only this machine's can be built (RUN
    /// steps run here, without emulation).
    pub platform: Option<Platform>,
}

impl BuildOptions {
    /// Refuses a platform other than this machine's, naming both.
    pub fn check_platform(&self) -> Result<(), EngineError> {
        let Some(p) = &self.platform else {
            return Ok(());
        };
        let host = Platform::host();
        if p.os != host.os || p.architecture != host.architecture {
            return Err(EngineError::Invalid(format!(
                "unsupported platform '{p}': berth builds for '{host}' only (RUN steps run on this machine)"
            )));
        }
        Ok(())
    }

    /// Whether the build was asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }
}

/// The error of a build that was asked to stop.
pub fn cancelled_error() -> EngineError {
    EngineError::Conflict("the build was cancelled".into())
}

/// What a build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOutcome {
    /// The image id (`sha256:...`).
    pub id: crate::engine::ImageId,
    /// The references tagged, as stored (`name:tag`).
    pub tags: Vec<String>,
    /// Build arguments given but declared by no ARG.
    pub unused_args: Vec<String>,
}
