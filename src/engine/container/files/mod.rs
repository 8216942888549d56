//! A container's filesystem seen from the host: `diff`, `cp`, `export` and `container prune`.
//!
//! The root filesystem is reached through `with_rootfs` (rootfs.rs). Every path the user
//! gives is resolved inside that root by the kernel (`runtime::inroot`), never by the host's
//! own lookup, so a symlink in the container cannot lead outside it.

pub mod archive;
pub mod copy;
pub mod diff;
pub mod error;
pub mod export;
pub mod extract;
pub mod prune;
pub mod rootfs;
pub mod stat;

pub use copy::{CopyIn, CopyOptions, CopyOut};
pub use error::FilesError;
pub use stat::PathStat;
