//! Output formatting shared by the commands: Docker-style tables, Go templates (`--format`),
//! human durations and sizes.
//!
//! API contract (the bodies may be improved, the signatures are relied on by every command):
//! - `print_list(format, columns, items)`: Docker's `--format` semantics for list commands.
//! - `render(template, value)`: one Go template applied to one JSON value.
//! - `human::ago`, `human::duration`, `human::size` (the engine's `container::human`, the one
//!   place Docker's wording lives for the CLI and the dashboard alike).

pub mod container;
mod funcs;
pub use crate::engine::human;
pub mod inspect;
pub(crate) mod lexer_trap;
pub(crate) mod rewrite;
pub mod table;
pub mod tabwriter;
pub mod template;

pub use inspect::{print_inspect, print_json_array};
pub use table::{Column, print_list, write_list};
pub use template::{Template, render};
