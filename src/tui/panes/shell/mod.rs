//! The Shell pane: shell sessions in containers, their background tasks, keys passed
//! through, and the view.

pub mod keys;
pub mod state;
pub mod task;
mod update;
pub mod view;

#[cfg(test)]
mod tests;
