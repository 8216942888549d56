//! Watching containers: logs (json-file), and later stats, top and events.

pub mod error;
pub mod jsonfile;
pub mod logs;
pub mod stats;
mod stats_counters;
pub mod stats_probe;
pub mod top;

pub use error::ObserveError;
