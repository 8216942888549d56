//! The Top pane: the selected container's processes.

pub(crate) mod popups;
pub(crate) mod state;
pub(crate) mod task;
pub(crate) mod view;

#[cfg(test)]
mod tests;
