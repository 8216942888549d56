//! `create`: records a new container from an image and the user's options.
//!
//! One stage per file: the process to run (`command`), the ports (`ports`), the mounts
//! and volumes (`mounts`, the image's VOLUME content copied by `volume_content`), the name
//! (`name`), links (`links`), the environment (`env`), the healthcheck (`health`), and
//! the record written whole
//! (`record`). Nothing is written before every check passed.

mod command;
mod env;
mod health;
mod kernel_fs;
mod links;
mod mounts;
mod name;
mod options;
mod ports;
mod record;
mod volume_content;

pub use command::MAX_ID;
pub use env::DEFAULT_PATH;
pub use options::{CreateOptions, DEFAULT_NETWORK};

use crate::engine::container::{
    Container, ContainerConfig, ContainerState, NetConfig, RestartPolicy,
};
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::{ContainerId, Engine};
use std::collections::BTreeMap;

impl Engine {
    /// Creates a container (status `created`); nothing runs yet.
    pub fn create_container(&self, opts: &CreateOptions) -> Result<Container> {
        let log_config = self.log_config(opts)?;
        if opts.auto_remove && !matches!(opts.restart.name.as_str(), "" | "no") {
            return Err(EngineError::Invalid(
                "conflicting options: --restart and --rm cannot be used together".into(),
            ));
        }
        let network = self
            .network(opts.network.as_deref().unwrap_or(DEFAULT_NETWORK))?
            .name;
        let image = self.image(&opts.image)?;
        let img = image.config.config().clone().unwrap_or_default();
        let links = self.resolve_links(&opts.links, &network)?;
        let ports = ports::plan(&img, opts, &network)?;
        let process = command::plan(&img, opts)?;
        let healthcheck = self.plan_healthcheck(&image, opts)?;
        let shell = self.image_shell(&image);
        let mut mounts = mounts::plan(&img, opts)?;

        let _names = self.names_lock()?;
        let name = self.choose_name(opts.name.as_deref())?;
        // Volumes are made (or found) before anything of the container exists on disk.
        let (volumes_lock, new_volumes) = self.make_volumes(&mut mounts)?;
        let id = ContainerId::random();
        let attached = self.attach_record(
            &network,
            &id,
            &name,
            &opts.network_aliases,
            opts.ip.as_deref(),
        )?;
        let config = ContainerConfig {
            id: id.clone(),
            name,
            created: chrono::Utc::now(),
            image: opts.image.clone(),
            image_id: image.id.clone(),
            layers: image.layers.clone(),
            entrypoint: process.entrypoint,
            cmd: process.cmd,
            env: env::container_env(&img, &opts.env),
            working_dir: process.working_dir,
            user: process.user,
            hostname: opts
                .hostname
                .clone()
                .unwrap_or_else(|| id.short().to_string()),
            labels: labels(&img, opts),
            tty: opts.tty,
            open_stdin: opts.open_stdin,
            mounts,
            read_only: opts.read_only,
            resources: opts.resources.clone(),
            restart: restart_policy(opts),
            auto_remove: opts.auto_remove,
            security: opts.security.clone(),
            network_mode: network,
            net: NetConfig {
                ports: ports.published,
                dns: opts.dns.clone(),
                extra_hosts: opts.extra_hosts.clone(),
                exposed_ports: ports.exposed,
                links,
            },
            stop_signal: img
                .stop_signal()
                .clone()
                .unwrap_or_else(|| "SIGTERM".into()),
            stop_timeout: opts.stop_timeout,
            log_config,
            healthcheck,
            shell,
        };
        if let Err(e) = self.write_new_container(&config) {
            if attached.is_some() {
                crate::engine::network::ops::release_container(self.paths(), &id);
            }
            return Err(e);
        }
        drop(volumes_lock);
        let container = Container {
            config,
            state: ContainerState::default(),
        };
        self.fill_new_volumes(&container, &new_volumes)?;
        self.emit(EngineEvent::ContainerCreate {
            id: &id,
            name: &container.config.name,
            image: &container.config.image,
        });
        Ok(container)
    }
}

/// The image's labels, then the user's.
fn labels(img: &oci_spec::image::Config, opts: &CreateOptions) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = img
        .labels()
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    labels.extend(opts.labels.clone());
    labels
}

/// `--restart`, `no` when not given.
fn restart_policy(opts: &CreateOptions) -> RestartPolicy {
    if opts.restart.name.is_empty() {
        RestartPolicy {
            name: "no".into(),
            max_retry: 0,
        }
    } else {
        opts.restart.clone()
    }
}
