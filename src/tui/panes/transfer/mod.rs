//! Pulls and pushes from the dashboard: per-layer progress, the task, the gauges.

pub mod state;
pub mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
