//! Platforms (`linux/amd64`, `linux/arm64/v8`) and picking one manifest from an index.

use crate::engine::error::{EngineError, Result};
use crate::engine::image::import::go_arch;
use serde_json::Value;

/// An OS/architecture pair with an optional variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// `linux`.
    pub os: String,
    /// Go's architecture name: `amd64`, `arm64`.
    pub architecture: String,
    /// `v7`, `v8`, or none.
    pub variant: Option<String>,
}

impl Platform {
    /// This machine's platform.
    pub fn host() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: go_arch().into(),
            variant: None,
        }
    }

    /// Parses `os[/arch[/variant]]`.
    pub fn parse(s: &str) -> Result<Platform> {
        let parts: Vec<&str> = s.split('/').collect();
        let bad = || {
            EngineError::Invalid(format!(
                "invalid platform '{s}': use OS/ARCH[/VARIANT], e.g. 'linux/amd64'"
            ))
        };
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        let arch = match parts.get(1).copied() {
            Some("x86_64") | Some("x86-64") => "amd64".to_string(),
            Some("aarch64") => "arm64".to_string(),
            Some(a) => a.to_ascii_lowercase(),
            None => go_arch().to_string(),
        };
        Ok(Platform {
            os: parts[0].to_ascii_lowercase(),
            architecture: arch,
            variant: parts.get(2).map(|v| v.to_ascii_lowercase()),
        })
    }

    fn matches(&self, p: &Value) -> bool {
        let os = p.get("os").and_then(Value::as_str).unwrap_or_default();
        let arch = p
            .get("architecture")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let variant = p.get("variant").and_then(Value::as_str);
        os == self.os
            && arch == self.architecture
            && match &self.variant {
                Some(v) => variant == Some(v.as_str()),
                None => true,
            }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// The descriptor (`digest`, `size`, `mediaType`) of the manifest for `want` in an image
/// index or manifest list.
pub fn select<'a>(index: &'a Value, want: &Platform) -> Result<&'a Value> {
    let entries = index
        .get("manifests")
        .and_then(Value::as_array)
        .ok_or_else(|| EngineError::Invalid("image index has no 'manifests' list".into()))?;
    let mut fallback = None;
    let mut seen = Vec::new();
    for e in entries {
        let Some(p) = e.get("platform") else { continue };
        if want.matches(p) {
            // Without a requested variant, prefer the entry without one (or v8 for arm64).
            let variant = p.get("variant").and_then(Value::as_str);
            if want.variant.is_some() || variant.is_none() || variant == Some("v8") {
                return Ok(e);
            }
            fallback.get_or_insert(e);
        }
        let os = p.get("os").and_then(Value::as_str).unwrap_or("unknown");
        let arch = p
            .get("architecture")
            .and_then(Value::as_str)
            .unwrap_or("unknown");
        if os != "unknown" {
            seen.push(format!("{os}/{arch}"));
        }
    }
    fallback.ok_or_else(|| {
        EngineError::Invalid(format!(
            "no matching manifest for {want} in the manifest list entries: pass --platform with one of {}",
            if seen.is_empty() { "none".to_string() } else { seen.join(", ") }
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_requested_platform() {
        let idx = serde_json::json!({"manifests": [
            {"digest": "a", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"digest": "b", "platform": {"os": "linux", "architecture": "amd64"}},
            {"digest": "c", "platform": {"os": "unknown", "architecture": "unknown"}},
        ]});
        let amd = Platform::parse("linux/amd64").expect("parse");
        assert_eq!(select(&idx, &amd).expect("amd64")["digest"], "b");
        let arm = Platform::parse("linux/arm64").expect("parse");
        assert_eq!(select(&idx, &arm).expect("arm64")["digest"], "a");
        let err =
            select(&idx, &Platform::parse("linux/s390x").expect("parse")).expect_err("absent");
        assert!(
            err.to_string().contains("linux/arm64, linux/amd64"),
            "{err}"
        );
        assert!(Platform::parse("linux//x").is_err());
    }
}
