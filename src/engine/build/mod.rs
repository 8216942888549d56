//! Building images from Dockerfiles.
//!
//! Parser: `lexer` (directives, continuations, heredocs), `instruction` and `forms` (typed
//! instructions, flags, exec/shell forms), `words` (ARG/ENV expansion). Context: `context`
//! (safe source paths) and `ignore` (`.dockerignore`). Executor: `executor` (stages, target,
//! storing the image), `base` (FROM, `--from` trees), `step`, `step_copy` and `cached` (each
//! instruction through the cache), `run` (RUN in a container), `copy` and `layer` (layer
//! tars), `state` (the image config being built), `cache` (the layer cache and
//! `builder prune`), `progress` (what the front ends hear).

pub mod base;
pub mod cache;
mod cached;
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
mod step_copy;
pub mod tar_context;
pub mod words;

pub use error::ParseError;
pub use executor::{BuildOptions, BuildOutcome};
pub use progress::BuildEvent;
