//! The Topology pane: the networks drawn as boxes (subnet, gateway), the containers as
//! nodes joined to every network they are on (the address and live rx/tx on each link),
//! the published ports drawn from the host; the selection opens a container's log or a
//! network in the Networks pane.

pub(crate) mod graph;
pub(crate) mod layout;
pub(crate) mod state;
pub(crate) mod task;
mod update;
pub(crate) mod view;

#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod tests;
