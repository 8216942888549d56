//! Identifiers: the typed ids of containers, images and networks, random ids, short ids, and
//! Docker-style generated names.
//!
//! An id is what the engine made (a container's or network's 64 random hex digits, an image's
//! config digest); a name-or-id *reference* a user typed stays a `&str` until the engine has
//! resolved it. The typed ids serialise as the plain string they wrap, so records on disk
//! read the same as before they existed.

mod names;
mod typed;

pub use names::{random_name, valid_name};
pub use typed::{ContainerId, IdError, ImageId, NetworkId};

use std::io::Read;

/// A new random 64-hex-digit id (256 bits from the kernel's random source).
pub fn random_id() -> String {
    let mut buf = [0u8; 32];
    if getrandom::fill(&mut buf).is_err() {
        // getrandom only fails when the kernel has no entropy source at all.
        if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
            let _ = f.read_exact(&mut buf);
        }
    }
    hex::encode(buf)
}

/// The 12-character short form of an id given as a plain string (with any `sha256:` prefix
/// removed): for digests that have no id type (layers, history rows, build steps). A typed
/// id has its own `short()`.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    &id[..id.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_64_hex_and_distinct() {
        let a = random_id();
        let b = random_id();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(short_id(&a).len(), 12);
        assert_eq!(short_id("sha256:0123456789abcdef"), "0123456789ab");
    }
}
