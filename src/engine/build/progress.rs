//! What a build reports while it runs; the CLI prints it as Docker's legacy builder does,
//! the dashboard streams it into the build pane.

use std::time::Duration;

/// One progress report of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildEvent {
    /// A step starts: `Step 3/12 : RUN make`.
    Step {
        /// 1-based step number.
        number: usize,
        /// Steps in the build.
        total: usize,
        /// The instruction as written (keyword and arguments).
        text: String,
    },
    /// The step's result came from the cache.
    CacheHit,
    /// A RUN step's container started (its full id).
    Running(crate::engine::ContainerId),
    /// Output of a RUN step's command.
    Output(Vec<u8>),
    /// The step finished.
    StepDone {
        /// Id of the image the step produced (`sha256:...`).
        id: String,
        /// Size of the layer it made, if it made one.
        layer_size: Option<u64>,
        /// How long it took.
        elapsed: Duration,
    },
    /// Something worth telling (`Pulling busybox`, build triggers).
    Note(String),
}
