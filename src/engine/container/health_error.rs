//! What makes a healthcheck one Docker would refuse.

/// A healthcheck Docker would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HealthConfigError {
    /// The test's first word is not `NONE`, `CMD` or `CMD-SHELL`.
    #[error("invalid healthcheck test '{0}': expected NONE, CMD or CMD-SHELL")]
    Test(String),
    /// `CMD` or `CMD-SHELL` with nothing after it.
    #[error("healthcheck test has no command")]
    NoCommand,
    /// A duration under 1ms (the field's name, as the API spells it).
    #[error("{0} in Healthcheck cannot be less than 1ms")]
    TooShort(&'static str),
}
