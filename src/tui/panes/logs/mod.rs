//! The Logs pane: the buffer of the selected container's lines, search, filter, the
//! merged view of several containers, saving, and the view.

pub(crate) mod line;
pub mod save;
pub(crate) mod search;
pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
