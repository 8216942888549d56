//! Image references: parsing and Docker's normalisation (`busybox` is `busybox:latest`,
//! `docker.io/library/busybox` is `busybox`). The index keys on the familiar short form.

use crate::engine::error::{EngineError, Result};

/// The default tag.
pub const DEFAULT_TAG: &str = "latest";

/// A parsed reference: repository name (short, familiar form) and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Repository in the familiar form: `busybox`, `me/app`, `localhost:5000/app`.
    pub name: String,
    /// Tag, `latest` when none was given.
    pub tag: String,
}

impl Reference {
    /// Parses and normalises `s` (`NAME[:TAG]`); digests (`@sha256:`) are not accepted here.
    pub fn parse(s: &str) -> Result<Reference> {
        let bad =
            |why: &str| EngineError::Invalid(format!("invalid reference format '{s}': {why}"));
        if s.is_empty() {
            return Err(bad("empty name"));
        }
        if s.contains('@') {
            return Err(bad("digests are not supported here; use NAME[:TAG]"));
        }
        // A colon after the last slash starts the tag (a colon before it is a registry port).
        let last_slash = s.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match s[last_slash..].find(':') {
            Some(i) => (&s[..last_slash + i], &s[last_slash + i + 1..]),
            None => (s, DEFAULT_TAG),
        };
        if !valid_tag(tag) {
            return Err(bad("tags are up to 128 letters, digits, '_', '.', '-'"));
        }
        let name = familiar(name);
        validate_name(&name).map_err(bad)?;
        Ok(Reference {
            name,
            tag: tag.to_string(),
        })
    }

    /// The full name as a registry sees it: `docker.io/library/busybox`.
    pub fn full_name(&self) -> String {
        let first = self.name.split('/').next().unwrap_or_default();
        let has_domain = self.name.contains('/') && is_domain(first);
        if has_domain {
            self.name.clone()
        } else if self.name.contains('/') {
            format!("docker.io/{}", self.name)
        } else {
            format!("docker.io/library/{}", self.name)
        }
    }
}

/// A reference as a registry client takes it: `NAME[:TAG][@sha256:DIGEST]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteReference {
    /// Name and tag (`latest` when no tag was given).
    pub reference: Reference,
    /// Whether the tag was written (a pull by digest alone tags nothing).
    pub explicit_tag: bool,
    /// The pinned manifest digest, if any.
    pub digest: Option<String>,
}

impl RemoteReference {
    /// Parses `NAME[:TAG][@sha256:<64 hex>]` with Docker's normalisation.
    pub fn parse(s: &str) -> Result<RemoteReference> {
        let (rest, digest) = match s.split_once('@') {
            Some((rest, d)) => {
                let hex = d.strip_prefix("sha256:").ok_or_else(|| {
                    EngineError::Invalid(format!(
                        "invalid reference format '{s}': digests are written '@sha256:<64 hex digits>'"
                    ))
                })?;
                if hex.len() != 64
                    || !hex
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                {
                    return Err(EngineError::Invalid(format!(
                        "invalid reference format '{s}': digests are written '@sha256:<64 hex digits>'"
                    )));
                }
                (rest, Some(d.to_string()))
            }
            None => (s, None),
        };
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let explicit_tag = rest[last_slash..].contains(':');
        Ok(RemoteReference {
            reference: Reference::parse(rest)?,
            explicit_tag,
            digest,
        })
    }

    /// The registry host (`docker.io` for Docker Hub, `localhost:5000`, ...).
    pub fn domain(&self) -> String {
        self.reference.domain()
    }

    /// The repository path inside the registry (`library/busybox`, `me/app`).
    pub fn path(&self) -> String {
        self.reference.path()
    }

    /// `name@sha256:...` for a manifest digest (Docker's RepoDigests entry).
    pub fn with_digest(&self, digest: &str) -> String {
        format!("{}@{digest}", self.reference.name)
    }
}

impl std::fmt::Display for RemoteReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.digest {
            Some(d) if !self.explicit_tag => write!(f, "{}@{d}", self.reference.name),
            Some(d) => write!(f, "{}@{d}", self.reference),
            None => write!(f, "{}", self.reference),
        }
    }
}

impl Reference {
    /// The registry host: `docker.io` unless the first component names a host.
    pub fn domain(&self) -> String {
        let full = self.full_name();
        full.split('/').next().unwrap_or("docker.io").to_string()
    }

    /// The repository path below the host: `library/busybox` for `busybox`.
    pub fn path(&self) -> String {
        let full = self.full_name();
        match full.split_once('/') {
            Some((_, path)) => path.to_string(),
            None => full,
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.name, self.tag)
    }
}

/// Strips Docker Hub's default domain and `library/` namespace.
fn familiar(name: &str) -> String {
    let mut n = name;
    for prefix in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] {
        if let Some(rest) = n.strip_prefix(prefix) {
            // `docker.io/reg.example.com/x` is the Hub repository `reg.example.com/x`: the
            // prefix stays, or the short form would name the host `reg.example.com`.
            if !rest
                .split_once('/')
                .is_some_and(|(first, _)| is_domain(first))
            {
                n = rest;
            }
            break;
        }
    }
    // `library/x` (with or without the Hub prefix) is the official image `x`.
    match n.strip_prefix("library/") {
        Some(rest) if !rest.contains('/') => rest.to_string(),
        _ => n.to_string(),
    }
}

/// Whether a name's first component names a registry host (Docker's rule).
fn is_domain(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

fn valid_tag(tag: &str) -> bool {
    let mut chars = tag.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => {}
        _ => return false,
    }
    tag.len() <= 128 && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn validate_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.len() > 255 {
        return Err("name longer than 255 characters");
    }
    let parts: Vec<&str> = name.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err("empty path component");
        }
        // The first component may be a registry host (`localhost:5000`, `Reg.example.com`).
        if i == 0 && parts.len() > 1 && is_domain(part) {
            if !part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            {
                return Err("bad registry host");
            }
            continue;
        }
        if !part
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err("repository names must be lowercase letters, digits and '.', '_', '-'");
        }
        let starts_ok = part
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let ends_ok = part
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if !starts_ok || !ends_ok {
            return Err("name components must start and end with a letter or digit");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Reference::parse(s).expect("valid").to_string()
    }

    #[test]
    fn short_names_get_latest_and_hub_prefixes_are_dropped() {
        assert_eq!(p("busybox"), "busybox:latest");
        assert_eq!(p("busybox:1.36"), "busybox:1.36");
        assert_eq!(p("docker.io/library/busybox"), "busybox:latest");
        assert_eq!(p("library/busybox:x"), "busybox:x");
        assert_eq!(p("docker.io/me/app:v1"), "me/app:v1");
    }

    #[test]
    fn registry_ports_are_not_tags() {
        let r = Reference::parse("localhost:5000/app").expect("valid");
        assert_eq!(r.name, "localhost:5000/app");
        assert_eq!(r.tag, "latest");
        assert_eq!(p("localhost:5000/app:v2"), "localhost:5000/app:v2");
        assert_eq!(r.full_name(), "localhost:5000/app");
    }

    #[test]
    fn full_names() {
        let r = Reference::parse("busybox").expect("valid");
        assert_eq!(r.full_name(), "docker.io/library/busybox");
        let r = Reference::parse("me/app").expect("valid");
        assert_eq!(r.full_name(), "docker.io/me/app");
    }

    /// Found by the property test: the Hub prefix was dropped before a host-like first
    /// component, so the short name named another registry and did not parse back.
    #[test]
    fn hub_repositories_named_like_hosts_keep_the_hub_prefix() {
        let r = Reference::parse("docker.io/docker.io/x").expect("valid");
        assert_eq!(r.full_name(), "docker.io/docker.io/x");
        assert_eq!(Reference::parse(&r.to_string()).expect("reparse"), r);
        let r = Reference::parse("index.docker.io/localhost/x:1").expect("valid");
        assert_eq!(
            (r.domain().as_str(), r.path().as_str()),
            ("index.docker.io", "localhost/x")
        );
        assert_eq!(p("docker.io/a.b"), "a.b:latest");
    }

    #[test]
    fn remote_references_keep_digests_and_hosts() {
        let d = format!("sha256:{}", "ab".repeat(32));
        let r = RemoteReference::parse(&format!("busybox@{d}")).expect("valid");
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert!(!r.explicit_tag);
        assert_eq!(r.domain(), "docker.io");
        assert_eq!(r.path(), "library/busybox");
        assert_eq!(r.to_string(), format!("busybox@{d}"));
        let r = RemoteReference::parse("127.0.0.1:5000/x/y:v1").expect("valid");
        assert!(r.explicit_tag);
        assert_eq!(r.domain(), "127.0.0.1:5000");
        assert_eq!(r.path(), "x/y");
        assert_eq!(r.with_digest(&d), format!("127.0.0.1:5000/x/y@{d}"));
        for bad in ["a@sha256:00", "a@md5:abc", "A@x", "@sha256:"] {
            assert!(RemoteReference::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn invalid_references_are_rejected() {
        for bad in [
            "",
            "Busybox",
            "a:",
            "a:-x",
            "a//b",
            "-a",
            "a@sha256:00",
            "a:b:c",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad} accepted");
        }
    }

    /// A parsed reference re-formats (short and full names) to an equal reference.
    mod props {
        use proptest::prelude::*;

        fn reference() -> impl Strategy<Value = String> {
            let domain = prop::sample::select(vec![
                "",
                "docker.io/",
                "index.docker.io/",
                "registry-1.docker.io/",
                "library/",
                "localhost/",
                "localhost:5000/",
                "reg.example.com/",
                "Reg.Example.com:443/",
            ]);
            (
                domain.clone(),
                domain,
                "[a-z0-9]([a-z0-9._-]{0,6}[a-z0-9])?(/[a-z0-9]{1,4}){0,2}",
            )
                .prop_flat_map(|(d1, d2, path)| {
                    (
                        Just(format!("{d1}{d2}{path}")),
                        prop::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}"),
                        prop::option::of("[0-9a-f]{64}"),
                    )
                })
                .prop_map(|(name, tag, digest)| {
                    let tag = tag.map(|t| format!(":{t}")).unwrap_or_default();
                    let digest = digest.map(|d| format!("@sha256:{d}")).unwrap_or_default();
                    format!("{name}{tag}{digest}")
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(512)))]
            #[test]
            fn references_round_trip(s in reference()) {
                crate::engine::fuzzing::reference(s.as_bytes());
            }

            #[test]
            fn any_text_is_parsed_or_refused(s in "[a-zA-Z0-9./:@_-]{0,40}") {
                crate::engine::fuzzing::reference(s.as_bytes());
            }
        }
    }
}
