//! The compose project model: what `berth compose` reads from compose files (the Compose
//! Specification's `compose.yaml`) before any container exists. Parse ([`raw`], with
//! unknown keys reported by [`known`]), interpolate ([`interpolate`], variables from
//! [`env`]), merge several files ([`merge`]), normalize into one shape ([`model`]) and
//! plan the engine's objects ([`plan`]: names, labels, order, create options).
//! Errors name the file, the line and the key ([`locate`]).
//!
//! This module never prints and never touches the engine's state: the `berth compose`
//! commands (`crate::cli::compose`) drive the engine's facade with what it gives.

pub mod env;
pub mod error;
pub mod interpolate;
pub mod known;
pub mod load;
pub mod locate;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod plan;
pub mod raw;
pub mod values;

pub use error::{ComposeError, Result};
pub use load::{LoadOptions, Loaded, load};
pub use model::{Condition, Project, Service};
