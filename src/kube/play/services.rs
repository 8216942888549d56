//! Services: a `NodePort` or `LoadBalancer` Service's ports are published on the host (its
//! nodePort, else its port) to the first pod it selects; on a user network each selected
//! container also answers to the Service's name (a network alias).

use super::parse::{Manifest, field};
use super::plan::{Plan, PlayOptions};
use crate::engine::PortBinding;
use crate::kube::error::KubeError;
use crate::kube::model::TargetPort;

/// Applies the manifest's Services to the planned pods.
pub fn apply(m: &Manifest, opts: &PlayOptions, p: &mut Plan) -> Result<(), KubeError> {
    let user_network = !matches!(opts.network.as_str(), "bridge" | "host" | "none");
    for d in &m.services {
        let s = &d.object;
        let name = &s.metadata.name;
        if name.is_empty() {
            return Err(field(&d.label, "metadata.name", "missing"));
        }
        if s.spec.selector.is_empty() {
            p.warnings.push(format!(
                "{}: a Service without a selector sends nowhere: skipped",
                d.label
            ));
            continue;
        }
        let selected: Vec<usize> = p
            .pods
            .iter()
            .enumerate()
            .filter(|(_, pod)| {
                s.spec
                    .selector
                    .iter()
                    .all(|(k, v)| pod.labels.get(k) == Some(v))
            })
            .map(|(i, _)| i)
            .collect();
        let Some(&first) = selected.first() else {
            p.warnings
                .push(format!("{}: selects no pod of the file", d.label));
            continue;
        };
        if user_network {
            for &i in &selected {
                for c in &mut p.pods[i].containers {
                    c.options.network_aliases.push(name.clone());
                }
            }
        }
        let kind = s.spec.kind.as_deref().unwrap_or("ClusterIP");
        match kind {
            "NodePort" | "LoadBalancer" => {}
            "ClusterIP" | "ExternalName" => continue,
            other => {
                return Err(field(
                    &d.label,
                    "spec.type",
                    &format!("'{other}': use ClusterIP, NodePort or LoadBalancer"),
                ));
            }
        }
        if selected.len() > 1 && !s.spec.ports.is_empty() {
            p.warnings.push(format!(
                "{}: selects {} pods; berth publishes its ports on the first, {}",
                d.label,
                selected.len(),
                p.pods[first].name
            ));
        }
        for (j, port) in s.spec.ports.iter().enumerate() {
            let at = format!("spec.ports[{j}]");
            let proto = match port.protocol.as_deref().unwrap_or("TCP") {
                "TCP" => "tcp",
                "UDP" => "udp",
                other => {
                    return Err(field(
                        &d.label,
                        &format!("{at}.protocol"),
                        &format!("'{other}' is not supported: use TCP or UDP"),
                    ));
                }
            };
            if port.port == 0 {
                return Err(field(&d.label, &format!("{at}.port"), "0 is not a port"));
            }
            let pod = &mut p.pods[first];
            let (ci, target) = match &port.target_port {
                Some(TargetPort::Name(n)) => pod
                    .containers
                    .iter()
                    .enumerate()
                    .find_map(|(ci, c)| {
                        c.ports
                            .iter()
                            .find(|(pn, _, pp)| pn.as_deref() == Some(n) && pp == proto)
                            .map(|(_, num, _)| (ci, *num))
                    })
                    .ok_or_else(|| {
                        field(
                            &d.label,
                            &format!("{at}.targetPort"),
                            &format!("no container of pod {} has a port named '{n}'", pod.name),
                        )
                    })?,
                Some(TargetPort::Number(n)) => (declaring(pod, *n, proto), *n),
                None => (declaring(pod, port.port, proto), port.port),
            };
            let binding = PortBinding {
                host_ip: String::new(),
                host_port: port.node_port.unwrap_or(port.port),
                container_port: target,
                protocol: proto.into(),
            };
            publish(p, first, ci, binding, &d.label, &at)?;
        }
    }
    Ok(())
}

/// The container of `pod` that declares port `n` (the first container when none does: in
/// Kubernetes a pod's containers share their ports).
fn declaring(pod: &super::plan::PlannedPod, n: u16, proto: &str) -> usize {
    pod.containers
        .iter()
        .position(|c| c.ports.iter().any(|(_, num, pp)| *num == n && pp == proto))
        .unwrap_or(0)
}

/// Adds `b` to container `ci` of pod `pi` unless it has it already; a host port another
/// container publishes is an error.
fn publish(
    p: &mut super::plan::Plan,
    pi: usize,
    ci: usize,
    b: PortBinding,
    label: &str,
    at: &str,
) -> Result<(), KubeError> {
    for (qi, pod) in p.pods.iter().enumerate() {
        for (qc, c) in pod.containers.iter().enumerate() {
            let clash = c
                .options
                .ports
                .iter()
                .find(|o| o.host_port == b.host_port && o.protocol == b.protocol);
            match clash {
                Some(o) if (qi, qc) == (pi, ci) && o.container_port == b.container_port => {
                    return Ok(());
                }
                Some(_) => {
                    return Err(field(
                        label,
                        at,
                        &format!(
                            "host port {}/{} is published already by container {}",
                            b.host_port,
                            b.protocol,
                            c.options.name.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                None => {}
            }
        }
    }
    p.pods[pi].containers[ci].options.ports.push(b);
    Ok(())
}
