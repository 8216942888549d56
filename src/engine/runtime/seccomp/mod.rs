//! Seccomp: the system-call filter every process berth starts in a container gets.
//!
//! Profiles are written in Docker's JSON format (`profile`): berth's default (`default`) is
//! Docker's default profile — an allowlist, some system calls opened only with a
//! capability, a few argument filters — and `--security-opt seccomp=FILE` takes any profile
//! Docker takes. A profile is compiled to classic BPF by libseccomp for the container's
//! architecture and capabilities (`compile`) in the shim, before the container's process is
//! cloned, and installed by that process as the last step before it execs (`install`).

pub mod cache;
pub mod compile;
pub mod default;
pub mod error;
pub mod install;
pub mod profile;

pub use compile::compile;
pub use error::SeccompError;
pub use install::install;
pub use profile::Profile;
