//! Building images from Dockerfiles: the parser (`lexer`, `instruction`, `words`), the build
//! context and `.dockerignore` (`context`, `ignore`), the executor (`executor`, `step`,
//! `run`, `copy`), the layer cache (`cache`) and storing the result (`finish`).

pub mod base;
pub mod cache;
pub mod context;
pub mod copy;
pub mod error;
pub mod executor;
mod forms;
pub mod ignore;
pub mod instruction;
pub mod layer;
pub mod lexer;
pub mod progress;
pub mod run;
pub mod state;
pub mod step;
pub mod words;

pub use error::ParseError;
pub use executor::{BuildOptions, BuildOutcome};
pub use progress::BuildEvent;
