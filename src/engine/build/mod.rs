//! Building images from Dockerfiles: the parser (`lexer`, `instruction`, `words`), the build
//! context and `.dockerignore` (`context`, `ignore`), the executor (`executor`, `step`,
//! `run`, `copy`), the layer cache (`cache`) and storing the result (`finish`).

pub mod context;
pub mod error;
mod forms;
pub mod ignore;
pub mod instruction;
pub mod lexer;
pub mod words;

pub use error::ParseError;
