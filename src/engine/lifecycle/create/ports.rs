//! The ports of a new container: the image's and `--expose`'s exposed ports, `-p` and
//! `-P`, checked against the network mode and given host ports.

use super::CreateOptions;
use crate::engine::container::PortBinding;
use crate::engine::error::{EngineError, Result};
use crate::engine::network::exposed;
use oci_spec::image::Config;

/// What a container publishes and exposes.
pub(super) struct Ports {
    /// Published ports, each with its host port assigned.
    pub published: Vec<PortBinding>,
    /// Exposed ports as Docker's keys (`80/tcp`).
    pub exposed: Vec<String>,
}

/// Works out the ports of a container on `network` from its image config and options.
pub(super) fn plan(img: &Config, opts: &CreateOptions, network: &str) -> Result<Ports> {
    let mut exposed_ports: Vec<exposed::PortProto> = img
        .exposed_ports()
        .clone()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| exposed::parse_key(k))
        .collect();
    for e in &opts.expose {
        exposed_ports.extend(exposed::parse_expose(e)?);
    }
    let mut ports = opts.ports.clone();
    if opts.publish_all {
        for (p, proto) in exposed::unique(exposed_ports.clone()) {
            if !ports
                .iter()
                .any(|b| b.container_port == p && b.protocol == proto)
            {
                ports.push(PortBinding {
                    host_ip: String::new(),
                    host_port: 0,
                    container_port: p,
                    protocol: proto,
                });
            }
        }
    }
    // As in Docker, a published port is an exposed one too.
    exposed_ports.extend(ports.iter().map(|b| (b.container_port, b.protocol.clone())));
    if network == "none" && opts.publishes() {
        // As in Docker: a container without a network cannot publish anything.
        return Err(EngineError::Invalid(
            "conflicting options: port publishing and the container type network mode.".into(),
        ));
    }
    if network == "host" {
        // As in Docker, the ports are the host's already: published ones are dropped
        // (front ends warn when `publishes()` and the container's mode is `host`).
        ports.clear();
    }
    Ok(Ports {
        published: crate::engine::network::ports::assign(ports)?,
        exposed: exposed::keys(exposed_ports),
    })
}
