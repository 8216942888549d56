//! `kube play`: a file's Pods, Deployments, Services, ConfigMaps and claims run with berth.
//!
//! The file is parsed ([`parse`]) and planned whole ([`plan`]: every value checked, every
//! container's create options made) before anything is made; [`run`] then makes the
//! volumes and containers and starts them, and removes what it made if a step fails.

mod container;
pub mod parse;
pub mod plan;
mod probe;
pub mod run;
mod services;
mod volumes;

pub use parse::{Manifest, parse};
pub use plan::{Plan, PlayOptions, plan};
pub use run::{Played, run};
