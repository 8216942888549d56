//! Container lifecycle verbs, one file each, all adding methods to `Engine`.

pub mod create;
pub use create::CreateOptions;
pub mod remove;
pub mod signal;
pub mod start;
