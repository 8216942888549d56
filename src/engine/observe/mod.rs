//! Watching containers: logs (json-file), and later stats, top and events.

pub mod error;
pub mod jsonfile;
pub mod logs;
pub mod stats;
pub mod top;

pub use error::ObserveError;
