//! Container lifecycle verbs, one file each, all adding methods to `Engine`.

pub mod attach;
pub mod boot;
pub use boot::BootReport;
pub mod create;
pub mod error;
pub use create::CreateOptions;
pub use error::LifecycleError;
pub mod remove;
pub mod signal;
pub mod start;
