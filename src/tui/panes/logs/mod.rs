//! The Logs pane: the buffer of the selected container's lines, search, filter, the
//! merged view of several containers, saving, and the view.

pub mod line;
pub mod save;
pub mod search;
pub mod state;
pub mod task;
mod update;
pub mod view;

#[cfg(test)]
mod tests;
