//! The shim: the per-container supervisor process.

/// Entry point of `berth __shim ...`; returns the process exit code.
pub fn main(_args: &[String]) -> i32 {
    1
}
