//! The lifecycle's errors: a container whose process or shim did not do what was asked,
//! named by the container.

/// Why a start, stop, remove, attach or exec failed after it was accepted.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// `stop`/`kill`: the process outlived SIGKILL.
    #[error("container '{name}' did not stop after SIGKILL")]
    DidNotStop {
        /// The container's name.
        name: String,
    },
    /// `rm -f`: the process outlived SIGKILL.
    #[error("cannot remove container '{name}': it did not stop after SIGKILL")]
    RemoveStuck {
        /// The container's name.
        name: String,
    },
    /// The shim of a running container does not answer on its socket.
    #[error("cannot reach the shim of container '{name}': {source}")]
    ShimUnreachable {
        /// The container's name.
        name: String,
        /// The connection's error.
        source: std::io::Error,
    },
    /// A start asked for an attach connection and the shim gave none.
    #[error("the shim gave no attach connection")]
    NoAttachConnection,
    /// An attach or exec session could not be opened on the shim's connection.
    #[error("cannot open a session: {0}")]
    Session(#[source] std::io::Error),
    /// The exec request could not be encoded.
    #[error("cannot encode the exec request: {0}")]
    EncodeExec(#[source] serde_json::Error),
    /// The exec request could not be sent to the shim.
    #[error("cannot send the exec request: {0}")]
    SendExec(#[source] std::io::Error),
    /// The container's record could not be encoded.
    #[error("cannot encode the container record: {0}")]
    EncodeRecord(#[source] serde_json::Error),
    /// `create`: the image's files could not be copied into a new volume (the container
    /// and its new volumes were removed again).
    #[error("cannot copy the image's content into a new volume: {0}")]
    VolumeContent(#[source] Box<crate::engine::error::EngineError>),
}
