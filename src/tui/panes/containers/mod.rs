//! The Containers pane: `docker ps -a` as a table, with each container's actions.

pub(crate) mod groups;
pub(crate) mod popups;
pub(crate) mod state;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod groups_tests;
#[cfg(test)]
mod tests;
