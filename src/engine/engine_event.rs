//! The events the engine records, one variant per object type and action, each with the
//! attributes Docker gives it; [`EngineEvent::into_event`] turns one into a journal entry.

use crate::engine::events::{Event, EventAction, EventType};
use crate::engine::{ContainerId, ImageId, NetworkId};
use chrono::Utc;

/// Something the engine did, as it is recorded in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EngineEvent<'a> {
    /// A container was created from `image`.
    ContainerCreate {
        id: &'a ContainerId,
        name: &'a str,
        image: &'a str,
    },
    /// A container's process started.
    ContainerStart { id: &'a ContainerId, name: &'a str },
    /// A container's process ended with `exit_code`.
    ContainerDie {
        id: &'a ContainerId,
        name: &'a str,
        exit_code: i32,
    },
    /// A container's process was killed for lack of memory.
    ContainerOom { id: &'a ContainerId, name: &'a str },
    /// A container was restarted.
    ContainerRestart { id: &'a ContainerId, name: &'a str },
    /// A container was stopped.
    ContainerStop { id: &'a ContainerId, name: &'a str },
    /// A container was sent `signal`.
    ContainerKill {
        id: &'a ContainerId,
        name: &'a str,
        signal: i32,
    },
    /// A container was paused.
    ContainerPause { id: &'a ContainerId, name: &'a str },
    /// A container was unpaused.
    ContainerUnpause { id: &'a ContainerId, name: &'a str },
    /// A container was removed.
    ContainerDestroy { id: &'a ContainerId, name: &'a str },
    /// A container was renamed from `old_name` to `name`.
    ContainerRename {
        id: &'a ContainerId,
        name: &'a str,
        old_name: &'a str,
    },
    /// `command` was started in a container.
    ContainerExecStart {
        id: &'a ContainerId,
        name: &'a str,
        command: &'a str,
    },
    /// A container's healthcheck changed its health to `status` (healthy or unhealthy).
    ContainerHealthStatus {
        id: &'a str,
        name: &'a str,
        healthy: bool,
    },
    /// An image was tagged `name`.
    ImageTag { id: &'a ImageId, name: &'a str },
    /// A network was created.
    NetworkCreate { id: &'a NetworkId, name: &'a str },
    /// A network was removed.
    NetworkDestroy { id: &'a NetworkId, name: &'a str },
    /// A container was connected to a network.
    NetworkConnect {
        id: &'a NetworkId,
        container: &'a str,
    },
    /// A container was disconnected from a network.
    NetworkDisconnect {
        id: &'a NetworkId,
        container: &'a str,
    },
}

impl EngineEvent<'_> {
    /// The journal entry for this event, stamped now.
    pub(crate) fn into_event(self) -> Event {
        use EngineEvent as E;
        use EventAction as A;
        use EventType::{Container, Image, Network};
        let (kind, action, id, attributes): (_, _, &str, Vec<(&str, String)>) = match self {
            E::ContainerCreate { id, name, image } => (
                Container,
                A::Create,
                id,
                vec![("name", name.into()), ("image", image.into())],
            ),
            E::ContainerStart { id, name } => (Container, A::Start, id, named(name)),
            E::ContainerDie {
                id,
                name,
                exit_code,
            } => (
                Container,
                A::Die,
                id,
                vec![("name", name.into()), ("exitCode", exit_code.to_string())],
            ),
            E::ContainerOom { id, name } => (Container, A::Oom, id, named(name)),
            E::ContainerRestart { id, name } => (Container, A::Restart, id, named(name)),
            E::ContainerStop { id, name } => (Container, A::Stop, id, named(name)),
            E::ContainerKill { id, name, signal } => (
                Container,
                A::Kill,
                id,
                vec![("name", name.into()), ("signal", signal.to_string())],
            ),
            E::ContainerPause { id, name } => (Container, A::Pause, id, named(name)),
            E::ContainerUnpause { id, name } => (Container, A::Unpause, id, named(name)),
            E::ContainerDestroy { id, name } => (Container, A::Destroy, id, named(name)),
            E::ContainerRename { id, name, old_name } => (
                Container,
                A::Rename,
                id,
                vec![("name", name.into()), ("oldName", old_name.into())],
            ),
            E::ContainerExecStart { id, name, command } => (
                Container,
                A::ExecStart,
                id,
                vec![("name", name.into()), ("execCommand", command.into())],
            ),
            E::ContainerHealthStatus { id, name, healthy } => {
                let action = if healthy {
                    A::HealthStatusHealthy
                } else {
                    A::HealthStatusUnhealthy
                };
                (Container, action, id, named(name))
            }
            E::ImageTag { id, name } => (Image, A::Tag, id, named(name)),
            E::NetworkCreate { id, name } => (Network, A::Create, id, named(name)),
            E::NetworkDestroy { id, name } => (Network, A::Destroy, id, named(name)),
            E::NetworkConnect { id, container } => (
                Network,
                A::Connect,
                id,
                vec![("container", container.into())],
            ),
            E::NetworkDisconnect { id, container } => (
                Network,
                A::Disconnect,
                id,
                vec![("container", container.into())],
            ),
        };
        Event {
            time: Utc::now(),
            kind,
            action,
            id: id.into(),
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        }
    }
}

/// The attributes of an event that carries only the object's name.
fn named(name: &str) -> Vec<(&'static str, String)> {
    vec![("name", name.into())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_events_keep_docker_words_and_attributes() {
        let e = EngineEvent::ContainerDie {
            id: &ContainerId::from_trusted("abc"),
            name: "web",
            exit_code: 137,
        }
        .into_event();
        assert_eq!((e.kind.as_str(), e.action.as_str()), ("container", "die"));
        assert_eq!(e.id, "abc");
        let attrs: Vec<(&str, &str)> = e
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(attrs, [("exitCode", "137"), ("name", "web")]);
        let e = EngineEvent::NetworkConnect {
            id: &NetworkId::from_trusted("net"),
            container: "abc",
        }
        .into_event();
        assert_eq!((e.kind.as_str(), e.action.as_str()), ("network", "connect"));
        assert_eq!(
            e.attributes.get("container").map(String::as_str),
            Some("abc")
        );
        let e = EngineEvent::ContainerExecStart {
            id: &ContainerId::from_trusted("abc"),
            name: "web",
            command: "sh -c true",
        }
        .into_event();
        assert_eq!(e.action.as_str(), "exec_start");
        assert_eq!(
            e.attributes.get("execCommand").map(String::as_str),
            Some("sh -c true")
        );
    }
}
