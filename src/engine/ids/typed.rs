//! `ContainerId`, `ImageId` and `NetworkId`: strings the engine made, checked when they come
//! from outside (`FromStr`, `TryFrom`), written to disk as the plain string (serde
//! transparent), read back from berth's own records as they are.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A string that is not a valid id of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id '{value}': {want}")]
pub struct IdError {
    /// `container`, `image` or `network`.
    pub kind: &'static str,
    /// The string given.
    pub value: String,
    /// What an id of this kind looks like.
    pub want: &'static str,
}

/// 64 lowercase hex digits.
fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the three id types share: the wrapped string, its views, comparisons with strings and
/// the checked conversions (`FromStr`, `TryFrom<String>`, `TryFrom<&str>`).
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $want:literal, $valid:expr) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a string the engine made or read from its own records, unchecked.
            #[allow(dead_code)] // not every kind needs it outside the unit tests
            pub(crate) fn from_trusted(id: impl Into<String>) -> Self {
                $name(id.into())
            }
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            /// Checks that `s` is a whole id of this kind.
            fn from_str(s: &str) -> Result<Self, IdError> {
                let valid: fn(&str) -> bool = $valid;
                if valid(s) {
                    Ok($name(s.to_string()))
                } else {
                    Err(IdError { kind: $kind, value: s.to_string(), want: $want })
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                let valid: fn(&str) -> bool = $valid;
                if valid(&s) {
                    Ok($name(s))
                } else {
                    Err(IdError { kind: $kind, value: s, want: $want })
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                s.parse()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<std::path::Path> for $name {
            fn as_ref(&self) -> &std::path::Path {
                std::path::Path::new(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type!(
    /// A container's id: 64 lowercase hex digits, random, made by `create`.
    ContainerId,
    "container",
    "want 64 lowercase hex digits",
    is_hex64
);

id_type!(
    /// An image's id: `sha256:` and the 64 hex digits of its config blob's digest.
    ImageId,
    "image",
    "want 'sha256:' and 64 lowercase hex digits",
    |s| s.strip_prefix("sha256:").is_some_and(is_hex64)
);

id_type!(
    /// A network's id: 64 lowercase hex digits, random, made by `network create` (and for the
    /// built-in networks when the state root is first used).
    NetworkId,
    "network",
    "want 64 lowercase hex digits",
    is_hex64
);

impl ContainerId {
    /// A new random id.
    pub(crate) fn random() -> ContainerId {
        ContainerId(super::random_id())
    }
    /// The 12-character short id Docker shows.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(12)]
    }
}

impl NetworkId {
    /// A new random id.
    pub(crate) fn random() -> NetworkId {
        NetworkId(super::random_id())
    }
    /// The 12-character short id Docker shows.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(12)]
    }
}

impl ImageId {
    /// The digest's hex digits, without `sha256:`.
    pub fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or(&self.0)
    }
    /// The 12-character short id Docker shows (hex digits, without `sha256:`).
    pub fn short(&self) -> &str {
        let hex = self.hex();
        &hex[..hex.len().min(12)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn container_and_network_ids_are_64_lowercase_hex() {
        let c: ContainerId = HEX.parse().expect("valid");
        assert_eq!(c.short(), "0123456789ab");
        assert_eq!(c, HEX);
        assert!(HEX[..63].parse::<ContainerId>().is_err());
        assert!(HEX.to_uppercase().parse::<NetworkId>().is_err());
        assert!(format!("sha256:{HEX}").parse::<ContainerId>().is_err());
        let err = "web".parse::<NetworkId>().expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "invalid network id 'web': want 64 lowercase hex digits"
        );
        assert_eq!(ContainerId::random().len(), 64);
    }

    #[test]
    fn image_ids_are_sha256_digests() {
        let i = ImageId::try_from(format!("sha256:{HEX}")).expect("valid");
        assert_eq!(i.short(), "0123456789ab");
        assert_eq!(i.hex(), HEX);
        assert_eq!(i, ImageId::from_trusted(format!("sha256:{HEX}")));
        assert!(HEX.parse::<ImageId>().is_err());
        assert!(format!("sha512:{HEX}").parse::<ImageId>().is_err());
    }

    #[test]
    fn ids_serialise_as_the_plain_string() {
        let c = ContainerId::from_trusted(HEX);
        let json = serde_json::to_string(&c).expect("json");
        assert_eq!(json, format!("\"{HEX}\""));
        let back: ContainerId = serde_json::from_str(&json).expect("json");
        assert_eq!(back, c);
        let map: std::collections::BTreeMap<ContainerId, u8> = [(c.clone(), 1)].into();
        assert_eq!(
            serde_json::to_string(&map).expect("json"),
            format!("{{\"{HEX}\":1}}")
        );
        assert_eq!(format!("{c}"), HEX);
    }
}
