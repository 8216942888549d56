//! The panes, one folder each: its state, `App::update` for it, its view (a pure render
//! of the state), its background task and its tests.

pub(crate) mod build;
pub(crate) mod changes;
pub(crate) mod containers;
pub(crate) mod images;
pub(crate) mod inspect;
pub mod logs;
pub mod networks;
pub(crate) mod palette;
pub mod shell;
pub(crate) mod stats;
pub(crate) mod timeline;
pub(crate) mod top;
pub(crate) mod topology;
pub mod transfer;
pub(crate) mod volumes;
