//! The Networks pane: networks, their containers, live counters and DNS query logs, the
//! watcher that samples them, and the network popups.

pub mod popups;
pub mod state;
pub mod task;
mod update;
pub mod view;

#[cfg(test)]
mod tests;
