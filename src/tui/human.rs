//! Nothing of its own: Docker's wording lives in `engine::container::human`, which the
//! dashboard uses directly. (Kept only while `tui/mod.rs` still declares this module.)

pub use crate::engine::container::human::*;
