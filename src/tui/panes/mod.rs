//! The panes, one folder each: its state, `App::update` for it, its view (a pure render
//! of the state), its background task and its tests.

pub mod build;
pub mod containers;
pub mod images;
pub mod logs;
pub mod networks;
pub mod shell;
pub mod stats;
pub mod top;
pub mod transfer;
