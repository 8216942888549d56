//! The Top pane: the selected container's processes.

pub mod state;
pub mod view;
