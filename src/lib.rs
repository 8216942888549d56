//! berth: a daemonless container engine with a terminal dashboard.
//!
//! The crate is a library (`engine`) driven by two front ends: the Docker-compatible
//! command line (`cli`) and the full-screen dashboard (`tui`). `config` holds the
//! user's settings shared by both; `bootstrap` turns them into an engine for either front
//! end (the binary's `main.rs` chooses which one runs).
//! `fuzzing` (the `fuzzing` feature, and tests) holds the fuzz targets' entry points.

pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod engine;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod tui;
