//! `--link NAME[:ALIAS]`: the targets recorded at create.

use crate::engine::container::Link;
use crate::engine::error::{EngineError, Result};
use crate::engine::{Engine, ids};

impl Engine {
    /// The targets of `--link NAME[:ALIAS]` values. As in Docker, a missing target is an
    /// error except on a user network (there the alias resolves once a container has the
    /// name), and links mean nothing on the host's network (Docker refuses them there).
    pub(super) fn resolve_links(&self, links: &[String], network: &str) -> Result<Vec<Link>> {
        if !links.is_empty() && network == "host" {
            return Err(EngineError::Invalid(
                "conflicting options: host type networking can't be used with links. This would result in undefined behavior".into(),
            ));
        }
        let user_network = crate::engine::network::is_user_network(network);
        let mut out = Vec::new();
        for l in links {
            let (name, alias) = l.split_once(':').unwrap_or((l, ""));
            let name = name.strip_prefix('/').unwrap_or(name);
            let alias = if alias.is_empty() { name } else { alias };
            if !ids::valid_name(name) || !ids::valid_name(alias) {
                return Err(EngineError::Invalid(format!(
                    "invalid value '{l}' for --link: use NAME[:ALIAS]"
                )));
            }
            let target = match self.container(name) {
                Ok(c) => c.config.id.into_string(),
                Err(EngineError::NoSuchContainer(_)) if user_network => String::new(),
                Err(EngineError::NoSuchContainer(_)) => {
                    return Err(EngineError::Invalid(format!(
                        "could not get container for {name}: no such container: '{name}'"
                    )));
                }
                Err(e) => return Err(e),
            };
            out.push(Link {
                target,
                name: name.to_string(),
                alias: alias.to_string(),
            });
        }
        Ok(out)
    }
}
