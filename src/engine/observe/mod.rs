//! Watching containers: logs (json-file), and later stats, top and events.

pub mod jsonfile;
pub mod logs;
pub mod stats;
pub mod top;
