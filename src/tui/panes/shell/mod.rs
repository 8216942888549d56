//! The Shell pane: shell sessions in containers, their background tasks, keys passed
//! through, and the view.

pub(crate) mod keys;
pub(crate) mod state;
pub mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
