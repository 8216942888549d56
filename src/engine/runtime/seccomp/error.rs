//! Why a seccomp profile could not be read, compiled or installed.

/// A seccomp failure, with the profile's offending value or the step that failed.
#[derive(Debug, thiserror::Error)]
pub enum SeccompError {
    /// The profile is not Docker's JSON format.
    #[error("invalid seccomp profile: {0}")]
    Json(#[from] serde_json::Error),
    /// The profile names an action berth does not know.
    #[error("invalid seccomp profile: unknown action '{0}'")]
    UnknownAction(String),
    /// The profile names an argument operator berth does not know.
    #[error("invalid seccomp profile: unknown operator '{0}'")]
    UnknownOperator(String),
    /// An argument filter names an argument a system call does not have.
    #[error("invalid seccomp profile: argument index {0} (0 to 5)")]
    ArgumentIndex(u32),
    /// libseccomp refused a step of the compilation.
    #[error("seccomp: {step}: {source}")]
    Compile {
        /// What was being done: `new filter`, `rule for 'clone'`, `export`.
        step: String,
        /// libseccomp's error.
        source: libseccomp::error::SeccompError,
    },
    /// A file operation of the compilation or the cache failed.
    #[error("seccomp: {step}: {source}")]
    Io {
        /// What was being done: `memfd_create`, `read the program back`.
        step: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// The compiled program has a size the kernel cannot take.
    #[error("seccomp: a program of {0} bytes")]
    BadProgram(usize),
    /// The kernel refused the filter.
    #[error("seccomp: install the filter: {0}")]
    Install(std::io::Error),
}
