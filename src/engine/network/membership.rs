//! Which networks each container is on, for the `NETWORKS` column of `ps` and the
//! dashboard's container list: read from the network records in one pass.

use super::{attachments, store};
use crate::engine::container::ContainerConfig;
use crate::engine::{ContainerId, Engine};
use std::collections::BTreeMap;

/// The names of the networks of each container, by container id, eth0's first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memberships {
    by_id: BTreeMap<ContainerId, Vec<String>>,
}

impl Memberships {
    /// Records that container `id` is on `names` (eth0's network first).
    pub fn insert(&mut self, id: &ContainerId, names: Vec<String>) {
        self.by_id.insert(id.clone(), names);
    }
    /// The networks of the container `config` describes, as `ps` shows them
    /// (`bridge,front`): its endpoints' networks, or its mode (`host`, `none`) when it has
    /// none.
    pub fn names_of(&self, config: &ContainerConfig) -> String {
        match self.by_id.get(&config.id) {
            Some(names) if !names.is_empty() => names.join(","),
            _ => config.network_mode.clone(),
        }
    }
}

impl Engine {
    /// The networks every container is attached to (read from the records; makes nothing).
    pub fn network_memberships(&self) -> Memberships {
        let all = store::list_raw(self.paths());
        let mut ids: Vec<&ContainerId> = all.iter().flat_map(|n| n.endpoints.keys()).collect();
        ids.sort();
        ids.dedup();
        let by_id = ids
            .into_iter()
            .map(|id| {
                let names = attachments(&all, id)
                    .into_iter()
                    .map(|(n, _)| n.name)
                    .collect();
                (id.clone(), names)
            })
            .collect();
        Memberships { by_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_without_endpoints_shows_its_mode() {
        let mut m = Memberships::default();
        let mut c = ContainerConfig {
            id: ContainerId::from_trusted("a".repeat(64)),
            network_mode: "host".into(),
            ..Default::default()
        };
        assert_eq!(m.names_of(&c), "host");
        m.insert(&c.id, vec!["bridge".into(), "front".into()]);
        c.network_mode = "bridge".into();
        assert_eq!(m.names_of(&c), "bridge,front");
    }
}
