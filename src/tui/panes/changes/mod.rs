//! The Changes pane: the selected container's read-write layer as `berth diff` lists it,
//! read again every second while it shows, with sizes, added/changed/deleted coloured and
//! what is new since the pane opened marked.

pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
