//! The Stats pane: live charts of the selected container, and the watchers' updates.

mod scale;
pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
