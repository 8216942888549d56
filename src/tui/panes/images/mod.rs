//! The Images pane: the image list, the selected image's history, its layer file tree, and
//! the run of a typed image (pulled first when missing).

pub(crate) mod popups;
pub(crate) mod run;
pub(crate) mod state;
pub(crate) mod task;
pub(crate) mod tree;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
