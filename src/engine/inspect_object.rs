//! `inspect` of any object by name or id: the Docker-shaped document of a container, an
//! image, a network or a volume, looked up in that order (as `docker inspect` does) or
//! only among one kind. The CLI's `inspect` and the dashboard's Inspect view use it.

use crate::engine::{Engine, EngineError, Result};
use serde_json::Value;

/// The kinds of object `inspect` finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// A container.
    Container,
    /// An image.
    Image,
    /// A network.
    Network,
    /// A volume.
    Volume,
}

impl ObjectKind {
    /// Every kind, in the order `inspect` looks them up.
    pub const ALL: [ObjectKind; 4] = [
        ObjectKind::Container,
        ObjectKind::Image,
        ObjectKind::Network,
        ObjectKind::Volume,
    ];

    /// Its name as `--type` takes it.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Container => "container",
            ObjectKind::Image => "image",
            ObjectKind::Network => "network",
            ObjectKind::Volume => "volume",
        }
    }

    /// The kind named `name` (`--type`), if any.
    pub fn parse(name: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl Engine {
    /// The document of the object `name` (a name or id) of `kind`, or of the first kind
    /// that has one; errors name the object as Docker does (`no such object: 'x'`).
    pub fn inspect_object(
        &self,
        name: &str,
        kind: Option<ObjectKind>,
    ) -> Result<(ObjectKind, Value)> {
        for k in ObjectKind::ALL {
            if kind.is_some_and(|want| want != k) {
                continue;
            }
            let found = match k {
                ObjectKind::Container => self.container(name).map(|c| self.inspect_document(&c)),
                ObjectKind::Image => self.image_inspect(name),
                ObjectKind::Network => self.network_document(name),
                ObjectKind::Volume => self.volume(name).map(|v| v.inspect_json()),
            };
            match found {
                Ok(doc) => return Ok((k, doc)),
                // Ambiguous prefixes and broken records are worth more than "no such".
                Err(e @ EngineError::Ambiguous(_)) => return Err(e),
                Err(e) if kind.is_some() => return Err(e),
                Err(_) => {}
            }
        }
        Err(EngineError::NoSuchObject(
            crate::engine::printable(name).into_owned(),
        ))
    }
}
