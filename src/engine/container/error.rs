//! Errors of the container model: a flag value or a recorded setting that cannot be used,
//! with the value and what is accepted instead (Docker's wording where Docker has one).

use crate::engine::error::EngineError;

/// What is wrong with a container setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContainerError {
    /// `--cap-add`/`--cap-drop` named no capability the kernel knows.
    #[error("unknown capability: \"{0}\"")]
    UnknownCapability(String),
    /// A `--security-opt` berth does not know, or a bad value of one it knows.
    #[error("invalid --security-opt '{opt}': {why}")]
    SecurityOpt {
        /// The value as given.
        opt: String,
        /// What is accepted.
        why: String,
    },
    /// A seccomp profile could not be read or parsed.
    #[error("opening seccomp profile ({path}) failed: {why}")]
    SeccompProfile {
        /// The profile's file.
        path: String,
        /// Why it failed.
        why: String,
    },
    /// A `--device` value that is malformed or names no device node.
    #[error("invalid --device '{spec}': {why}")]
    Device {
        /// The value as given.
        spec: String,
        /// What is wrong.
        why: String,
    },
    /// An unsupported log driver or a bad `--log-opt`.
    #[error("{0}")]
    LogOption(String),
    /// A `--restart` value that is not one of Docker's policies.
    #[error("invalid restart policy '{value}': {why}")]
    RestartPolicy {
        /// The value as given.
        value: String,
        /// What is accepted.
        why: String,
    },
}

impl From<ContainerError> for EngineError {
    fn from(e: ContainerError) -> EngineError {
        EngineError::Invalid(e.to_string())
    }
}
