//! Building images from Dockerfiles.
//!
//! Parser: `lexer` (directives, continuations, heredocs, a leading byte order mark),
//! `instruction` and `forms` (typed instructions, flags, exec/shell forms), `words`
//! (ARG/ENV expansion, bounded). Input: `dockerfile` (finding and reading the Dockerfile
//! without leaving the context), `context` (safe source paths, bounded symlink chains) and
//! `ignore` (`.dockerignore`), `tar_context` (a context sent as an archive) and
//! `remote_context` (one named by URL). Executor: `options` (what is asked), `executor` (the plan of
//! stages, target, storing the image), `precheck` (global ARGs, every source and expansion
//! checked before anything runs), `stage_start` (FROM and ONBUILD), `base` (FROM's image,
//! `--from` trees, `--chown`), `step` (dispatch) with `step_config`, `step_run` and
//! `step_copy`, `cached` (each step through the cache), `run` (RUN in a container), `copy`
//! and `layer` (layer tars), `state` (the image config being built), `cache` (the layer
//! cache, `builder prune`, and what `rmi` forgets), `progress` (what the front ends hear),
//! `error` (the module's errors).

pub mod base;
pub mod cache;
mod cached;
pub mod context;
pub mod copy;
mod dockerfile;
pub mod error;
pub mod executor;
mod forms;
pub(crate) use forms::parse_duration;
pub mod ignore;
pub mod instruction;
pub mod layer;
pub mod lexer;
pub mod options;
mod precheck;
pub mod progress;
pub mod remote_context;
pub mod run;
mod stage_start;
pub mod state;
pub mod step;
mod step_config;
mod step_copy;
mod step_run;
pub mod tar_context;
pub mod words;

pub use error::{BuildFault, ParseError};
pub use options::{BuildOptions, BuildOutcome};
pub use progress::BuildEvent;
