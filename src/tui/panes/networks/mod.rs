//! The Networks pane: networks, their containers, live counters and DNS query logs, the
//! watcher that samples them, and the network popups.

pub(crate) mod popups;
pub mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
