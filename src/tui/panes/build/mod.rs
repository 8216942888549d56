//! The build popups: the form, the build's task and its steps as they stream in.

pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;
