//! Named volumes: directories under `volumes/<name>/_data` that outlive containers.
//!
//! A volume is a directory `volumes/<name>/` holding the data (`_data`, what containers
//! mount) and a record (`meta.json`). Creating and removing take the lock `volumes/.lock`
//! so two berth processes never half-create or half-remove one. Anonymous volumes (made
//! by `-v /path` without a name) carry Docker's label `com.docker.volume.anonymous`, which
//! is how `volume prune` without `-a` tells them apart.

pub mod error;
pub mod files;
pub mod flag;
pub mod model;
pub mod overview;
pub mod prune;
pub mod size;
pub mod store;

pub use error::VolumeError;
pub use flag::{parse_tmpfs_flag, parse_volume_flag};
pub use model::Volume;
pub use prune::PruneReport;
pub use size::dir_size;
