//! The Stats pane: live charts of the selected container, and the watchers' updates.

pub mod state;
pub mod task;
mod update;
pub mod view;

#[cfg(test)]
mod tests;
