//! Cleaning up after a container whose shim is gone (processes, cgroup, socket, CPU
//! samples, veths).

use crate::engine::container::ContainerConfig;
use crate::engine::store::Paths;

/// Kills leftover processes and removes the cgroup and the attach socket of a container
/// whose shim died.
pub fn after_shim_death(paths: &Paths, config: &ContainerConfig) {
    let cg = super::cgroups::Cgroup::for_config(config);
    cg.kill_all();
    cg.remove();
    let _ = std::fs::remove_file(paths.shim_socket(&config.id));
    let _ = std::fs::remove_file(paths.cpu_samples(&config.id));
    crate::engine::network::setup::remove_leftovers(paths, &config.id);
    // Only a container with published ports can have a DNAT chain: a failed nftables
    // batch costs an RCU grace period (over 10 ms), too much for every container.
    if !config.net.ports.is_empty() {
        crate::engine::network::publish_nat::unpublish(&config.id);
    }
}
