//! The observe module's errors: a container that is not running for what needs it, a
//! process that left it, a signal the kernel refused.

/// Why watching or signalling a container's processes failed.
#[derive(Debug, thiserror::Error)]
pub enum ObserveError {
    /// The container has no running process to look at.
    #[error("container '{0}' is not running")]
    NotRunning(String),
    /// The process is no longer in the container (its pid may have been reused).
    #[error("process {pid} is not in container '{container}' any more: refresh the process list")]
    ProcessGone {
        /// The host pid.
        pid: i32,
        /// The container as the caller named it.
        container: String,
    },
    /// kill(2) failed.
    #[error("cannot send {signal} to process {pid}: {source}")]
    Signal {
        /// The signal.
        signal: nix::sys::signal::Signal,
        /// The host pid.
        pid: i32,
        /// The errno.
        source: nix::Error,
    },
}
