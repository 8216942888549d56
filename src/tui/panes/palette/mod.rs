//! The command palette (`:`, k9s' habit): a one-line prompt at the bottom that opens a
//! view by name (`logs web`, `images`) or runs a `berth` command line (`run -d --name x
//! busybox`), with completion (tab) and history (up, down).

pub mod commands;
pub(crate) mod complete;
pub(crate) mod state;
pub(crate) mod task;
pub(crate) mod update;
pub(crate) mod view;

#[cfg(test)]
mod tests;
