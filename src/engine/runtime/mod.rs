//! The runtime: turns a container's configuration into an isolated process supervised by
//! its shim. berth is its own runtime: namespaces, mounts, cgroups and capabilities are set
//! up here through system calls, never by running another program.

pub mod caps;
pub mod cgroups;
pub mod cleanup;
pub mod client;
pub mod console;
pub mod cpu_samples;
pub mod devicefilter;
pub mod error;
pub mod exec;
pub mod guard;
pub mod health;
pub mod idle;
pub mod init;
pub mod inroot;
pub mod launch;
pub mod logwriter;
pub mod privileges;
pub mod protocol;
pub mod rootfs;
pub mod seccomp;
pub mod shim;
pub mod spawn;
pub mod stdio;
pub mod storage;
pub mod supervise;
pub mod tty;
pub mod user;

pub use error::RuntimeError;

/// The hidden first argument that turns the berth binary into a shim.
pub const SHIM_ARG: &str = "__shim";
