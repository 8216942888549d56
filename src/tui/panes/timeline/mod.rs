//! The Timeline pane: one container's life on one time axis, newest at the bottom: its
//! lifecycle events (create, start, die with the exit code, oom, restart, health) as
//! coloured markers, its log lines between them (long runs folded around the events),
//! and its CPU and memory beside each row. `enter` on an event shows (or folds again)
//! the log lines around it.

pub(crate) mod merge;
pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
