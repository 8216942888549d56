//! Engine calls the dashboard makes (`EngineOp`), with the command line that does the
//! same, which the command log records.

/// A change performed by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineOp {
    /// `Engine::stop_container(name, None)`.
    Stop(String),
    /// `Engine::start_container(name)`.
    Start(String),
    /// `Engine::restart_container(name, None)`.
    Restart(String),
    /// `Engine::remove_container(name, force, volumes)`.
    Remove {
        /// The container.
        name: String,
        /// Kill it first if it runs.
        force: bool,
        /// Remove its anonymous volumes.
        volumes: bool,
    },
    /// `Engine::tag_image(source, target)`.
    TagImage {
        /// The image tagged.
        source: String,
        /// The new reference.
        target: String,
    },
    /// `Engine::remove_image(name, force)` (`rmi`: untag or delete).
    RemoveImage {
        /// Reference or id.
        name: String,
        /// `-f`.
        force: bool,
    },
    /// `Engine::create_container` then `start_container`: `run -d`.
    RunImage {
        /// The image.
        image: String,
        /// `--name`, when one was given.
        name: Option<String>,
        /// `--network`: the configured `network.default`.
        network: String,
    },
    /// `Engine::signal_process(container, pid, signal)`.
    Signal {
        /// The container.
        container: String,
        /// Host pid.
        pid: i32,
        /// `TERM`, `KILL`, ...
        signal: String,
    },
    /// `Engine::create_network` (`network create [--subnet S] NAME`).
    CreateNetwork {
        /// The name.
        name: String,
        /// `--subnet`, when one was given.
        subnet: Option<String>,
    },
    /// `Engine::remove_network(name)`.
    RemoveNetwork(String),
    /// `Engine::connect_network(network, container)`.
    ConnectNetwork {
        /// The network.
        network: String,
        /// The container.
        container: String,
    },
    /// `Engine::disconnect_network(network, container)`.
    DisconnectNetwork {
        /// The network.
        network: String,
        /// The container.
        container: String,
    },
    /// `Engine::create_volume(name)`.
    CreateVolume(String),
    /// `Engine::remove_volume(name)`.
    RemoveVolume(String),
    /// `Engine::prune_volumes(false)`: the anonymous volumes no container uses.
    PruneVolumes,
}

impl EngineOp {
    /// The equivalent command line (`berth rm -f web`).
    pub fn cli_line(&self) -> String {
        match self {
            EngineOp::Stop(n) => format!("berth stop {}", quote(n)),
            EngineOp::Start(n) => format!("berth start {}", quote(n)),
            EngineOp::Restart(n) => format!("berth restart {}", quote(n)),
            EngineOp::Remove {
                name,
                force,
                volumes,
            } => {
                let mut s = "berth rm".to_string();
                if *force {
                    s.push_str(" -f");
                }
                if *volumes {
                    s.push_str(" -v");
                }
                format!("{s} {}", quote(name))
            }
            EngineOp::TagImage { source, target } => {
                format!("berth tag {} {}", quote(source), quote(target))
            }
            EngineOp::RemoveImage { name, force } => {
                let f = if *force { " -f" } else { "" };
                format!("berth rmi{f} {}", quote(name))
            }
            EngineOp::RunImage {
                image,
                name,
                network,
            } => {
                let mut s = String::from("berth run -d");
                if network != crate::engine::DEFAULT_NETWORK {
                    s.push_str(&format!(" --network {}", quote(network)));
                }
                if let Some(n) = name {
                    s.push_str(&format!(" --name {}", quote(n)));
                }
                format!("{s} {}", quote(image))
            }
            // No berth command signals one process: this is the host's kill, by host pid.
            EngineOp::Signal {
                container,
                pid,
                signal,
            } => format!(
                "kill -s {signal} {pid}  # host pid, in {}",
                quote(container)
            ),
            EngineOp::CreateNetwork { name, subnet } => match subnet {
                Some(s) => format!("berth network create --subnet {} {}", quote(s), quote(name)),
                None => format!("berth network create {}", quote(name)),
            },
            EngineOp::RemoveNetwork(n) => format!("berth network rm {}", quote(n)),
            EngineOp::ConnectNetwork { network, container } => {
                format!(
                    "berth network connect {} {}",
                    quote(network),
                    quote(container)
                )
            }
            EngineOp::DisconnectNetwork { network, container } => {
                format!(
                    "berth network disconnect {} {}",
                    quote(network),
                    quote(container)
                )
            }
            EngineOp::CreateVolume(n) => format!("berth volume create {}", quote(n)),
            EngineOp::RemoveVolume(n) => format!("berth volume rm {}", quote(n)),
            EngineOp::PruneVolumes => "berth volume prune -f".to_string(),
        }
    }

    /// What it acts on, as messages name it.
    pub fn name(&self) -> String {
        match self {
            EngineOp::Stop(n) | EngineOp::Start(n) | EngineOp::Restart(n) => n.clone(),
            EngineOp::Remove { name, .. } => name.clone(),
            EngineOp::TagImage { source, .. } => source.clone(),
            EngineOp::RemoveImage { name, .. } => name.clone(),
            EngineOp::RunImage { image, .. } => image.clone(),
            EngineOp::Signal { pid, .. } => format!("pid {pid}"),
            EngineOp::CreateNetwork { name, .. } | EngineOp::RemoveNetwork(name) => name.clone(),
            EngineOp::ConnectNetwork { container, .. }
            | EngineOp::DisconnectNetwork { container, .. } => container.clone(),
            EngineOp::CreateVolume(n) | EngineOp::RemoveVolume(n) => n.clone(),
            EngineOp::PruneVolumes => "unused volumes".to_string(),
        }
    }

    /// The key of the pending-calls map: a container's name for container calls (its row
    /// shows the call), something no container name can be for the others.
    pub fn pending_key(&self) -> String {
        match self {
            EngineOp::TagImage { .. }
            | EngineOp::RemoveImage { .. }
            | EngineOp::RunImage { .. } => {
                format!("image {}", self.name())
            }
            EngineOp::Signal { .. } => format!("process {}", self.name()),
            EngineOp::CreateNetwork { name, .. } | EngineOp::RemoveNetwork(name) => {
                format!("network {name}")
            }
            EngineOp::CreateVolume(_) | EngineOp::RemoveVolume(_) | EngineOp::PruneVolumes => {
                format!("volume {}", self.name())
            }
            _ => self.name(),
        }
    }

    /// Whether the image list changes with it.
    pub fn touches_images(&self) -> bool {
        matches!(
            self,
            EngineOp::TagImage { .. } | EngineOp::RemoveImage { .. }
        )
    }

    /// Whether the network list changes with it.
    pub fn touches_networks(&self) -> bool {
        matches!(
            self,
            EngineOp::CreateNetwork { .. }
                | EngineOp::RemoveNetwork(_)
                | EngineOp::ConnectNetwork { .. }
                | EngineOp::DisconnectNetwork { .. }
        )
    }

    /// Whether the volume list changes with it (removing a container frees its volumes).
    pub fn touches_volumes(&self) -> bool {
        matches!(
            self,
            EngineOp::CreateVolume(_)
                | EngineOp::RemoveVolume(_)
                | EngineOp::PruneVolumes
                | EngineOp::Remove { .. }
        )
    }

    /// Past tense for the status bar (`stopped`).
    pub fn done_verb(&self) -> &'static str {
        match self {
            EngineOp::Stop(_) => "stopped",
            EngineOp::Start(_) => "started",
            EngineOp::Restart(_) => "restarted",
            EngineOp::Remove { .. } | EngineOp::RemoveImage { .. } => "removed",
            EngineOp::TagImage { .. } => "tagged",
            EngineOp::RunImage { .. } => "started a container from",
            EngineOp::Signal { .. } => "signalled",
            EngineOp::CreateNetwork { .. } => "created network",
            EngineOp::RemoveNetwork(_) => "removed network",
            EngineOp::ConnectNetwork { .. } => "connected",
            EngineOp::DisconnectNetwork { .. } => "disconnected",
            EngineOp::CreateVolume(_) => "created volume",
            EngineOp::RemoveVolume(_) => "removed volume",
            EngineOp::PruneVolumes => "pruned",
        }
    }

    /// Progressive for the status bar (`stopping`).
    pub fn doing_verb(&self) -> &'static str {
        match self {
            EngineOp::Stop(_) => "stopping",
            EngineOp::Start(_) => "starting",
            EngineOp::Restart(_) => "restarting",
            EngineOp::Remove { .. } | EngineOp::RemoveImage { .. } => "removing",
            EngineOp::TagImage { .. } => "tagging",
            EngineOp::RunImage { .. } => "starting a container from",
            EngineOp::Signal { .. } => "signalling",
            EngineOp::CreateNetwork { .. } => "creating network",
            EngineOp::RemoveNetwork(_) => "removing network",
            EngineOp::ConnectNetwork { .. } => "connecting",
            EngineOp::DisconnectNetwork { .. } => "disconnecting",
            EngineOp::CreateVolume(_) => "creating volume",
            EngineOp::RemoveVolume(_) => "removing volume",
            EngineOp::PruneVolumes => "pruning",
        }
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_lines_match_docker_commands() {
        let rm = EngineOp::Remove {
            name: "web".into(),
            force: true,
            volumes: false,
        };
        assert_eq!(rm.cli_line(), "berth rm -f web");
        assert_eq!(
            EngineOp::Stop("my app".into()).cli_line(),
            "berth stop 'my app'"
        );
        assert_eq!(
            EngineOp::Restart("db_1".into()).cli_line(),
            "berth restart db_1"
        );
        let tag = EngineOp::TagImage {
            source: "busybox:latest".into(),
            target: "me/box:1".into(),
        };
        assert_eq!(tag.cli_line(), "berth tag busybox:latest me/box:1");
        let rmi = EngineOp::RemoveImage {
            name: "busybox:latest".into(),
            force: true,
        };
        assert_eq!(rmi.cli_line(), "berth rmi -f busybox:latest");
        let run = EngineOp::RunImage {
            image: "busybox:latest".into(),
            name: Some("web".into()),
            network: "bridge".into(),
        };
        assert_eq!(run.cli_line(), "berth run -d --name web busybox:latest");
        assert_eq!(run.pending_key(), "image busybox:latest");
        let run = EngineOp::RunImage {
            image: "busybox:latest".into(),
            name: None,
            network: "my net".into(),
        };
        assert_eq!(
            run.cli_line(),
            "berth run -d --network 'my net' busybox:latest"
        );
    }
}
