//! The container model: its configuration and state records and how they are stored.

pub mod config;
pub mod devices;
pub mod error;
pub mod files;
pub mod health;
pub mod health_error;
pub mod human;
pub mod inspect;
pub mod log_config;
pub mod ports_text;
pub mod record;
pub mod security;
pub mod spares;
pub mod state;

pub use config::{
    ContainerConfig, Link, MountKind, MountSpec, NetConfig, PortBinding, Resources, RestartPolicy,
};
pub use health::{Health, HealthConfig, HealthResult, HealthStatus};
pub use log_config::{LogConfig, Rotation};
pub use record::Container;
pub use state::{ContainerState, Status};
