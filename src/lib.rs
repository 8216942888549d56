//! berth: a daemonless container engine with a terminal dashboard.
//!
//! The crate is a library (`engine`) driven by three front ends: the Docker-compatible
//! command line (`cli`), the full-screen dashboard (`tui`) and the Docker Engine API
//! served on a unix socket (`api`). `config` holds the user's settings they share;
//! `kube` turns containers into Kubernetes YAML and back for the CLI;
//! `bootstrap` turns them into an engine for any front end (the binary's `main.rs`
//! chooses which one runs).
//! `fuzzing` (the `fuzzing` feature, and tests) holds the fuzz targets' entry points.

pub mod api;
pub mod bootstrap;
pub mod cli;
pub mod compose;
pub mod config;
pub mod engine;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod kube;
pub mod tui;
