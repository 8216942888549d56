//! The Volumes pane: every volume with its driver, size, mountpoint and the containers
//! using it; create, remove (asks first) and prune (asks first).

pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
