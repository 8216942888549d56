//! The Inspect view: the JSON `berth inspect` prints for the selected container, image or
//! network, as a folded tree over the panes, with search and copy of the value under the
//! cursor.

pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
