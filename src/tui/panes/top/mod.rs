//! The Top pane: the selected container's processes.

pub mod state;
pub mod task;
pub mod view;

#[cfg(test)]
mod tests;
