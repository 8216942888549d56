//! The Images pane: the image list, the selected image's history, its layer file tree, and
//! the run of a typed image (pulled first when missing).

pub mod layertree;
pub mod run;
pub mod state;
pub mod task;
pub mod tree;
mod update;
pub mod view;

#[cfg(test)]
mod tests;
