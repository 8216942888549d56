//! berth: a daemonless container engine with a terminal dashboard.
//!
//! The crate is a library (`engine`) driven by two front ends: the Docker-compatible
//! command line (`cli`) and the full-screen dashboard (`tui`). `config` holds the
//! user's settings shared by both.

pub mod cli;
pub mod config;
pub mod engine;
pub mod tui;
