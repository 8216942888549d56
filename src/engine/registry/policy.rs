//! `--pull` of `run` and `create`: whether the image is pulled before the container is
//! made (Docker's `missing`, `always`, `never`).

use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::reference::RemoteReference;
use std::str::FromStr;

/// When `run`/`create` pull their image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullPolicy {
    /// Pull only when no local image matches (Docker's default).
    #[default]
    Missing,
    /// Pull every time, and use what was pulled.
    Always,
    /// Never pull: a missing image is an error.
    Never,
}

/// A `--pull` value that is none of Docker's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid pull option: '{0}': must be one of \"always\", \"missing\" or \"never\"")]
pub struct InvalidPullPolicy(pub String);

impl FromStr for PullPolicy {
    type Err = InvalidPullPolicy;

    fn from_str(s: &str) -> std::result::Result<PullPolicy, InvalidPullPolicy> {
        match s {
            "missing" => Ok(PullPolicy::Missing),
            "always" => Ok(PullPolicy::Always),
            "never" => Ok(PullPolicy::Never),
            _ => Err(InvalidPullPolicy(s.to_string())),
        }
    }
}

impl Engine {
    /// The reference `run`/`create` of `image` must pull first under `policy`, or `None`
    /// when the local image is used as it is (or, for `never`, when `create` is left to
    /// report that it is missing). A missing image named by an id cannot be pulled: that is
    /// [`EngineError::NoSuchImage`]; a name that is not a valid reference is its parse error.
    pub fn image_to_pull(
        &self,
        image: &str,
        policy: PullPolicy,
    ) -> Result<Option<RemoteReference>> {
        let missing = match policy {
            PullPolicy::Never => return Ok(None),
            PullPolicy::Always => true,
            PullPolicy::Missing => match self.image(image) {
                Ok(_) => return Ok(None),
                Err(EngineError::NoSuchImage(_)) => true,
                Err(e) => return Err(e),
            },
        };
        if missing && image.starts_with("sha256:") {
            return Err(EngineError::NoSuchImage(image.to_string()));
        }
        RemoteReference::parse(image).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_policies_parse_and_others_are_refused() {
        assert_eq!("missing".parse(), Ok(PullPolicy::Missing));
        assert_eq!("always".parse(), Ok(PullPolicy::Always));
        assert_eq!("never".parse(), Ok(PullPolicy::Never));
        let e = "sometimes"
            .parse::<PullPolicy>()
            .expect_err("refused")
            .to_string();
        assert!(e.contains("'sometimes'") && e.contains("\"never\""), "{e}");
        assert_eq!(PullPolicy::default(), PullPolicy::Missing);
    }
}
