//! The last stage of `create`: the container's log settings and its record on disk.

use super::CreateOptions;
use crate::engine::Engine;
use crate::engine::container::record::files;
use crate::engine::container::{ContainerConfig, LogConfig};
use crate::engine::error::{IoContext, Result};
use crate::engine::lifecycle::LifecycleError;

impl Engine {
    /// The log settings of a new container: its `--log-opt`s over the configuration's
    /// (as Docker merges the daemon's `log-opts`), checked as Docker checks them.
    pub(super) fn log_config(&self, opts: &CreateOptions) -> Result<LogConfig> {
        let mut log = LogConfig {
            options: opts.log_opts.clone(),
            ..LogConfig::default()
        };
        if let Some(d) = opts.log_driver.as_deref().filter(|d| !d.is_empty()) {
            log.driver = d.to_string();
        }
        let o = self.options();
        if let Some(size) = o.log_max_size {
            let mut default = |k: &str, v: String| {
                log.options.entry(k.to_string()).or_insert(v);
            };
            default("max-size", size.to_string());
            default("max-file", o.log_max_files.to_string());
            if o.log_compress {
                default("compress", "true".into());
            }
        }
        log.rotation()?;
        Ok(log)
    }

    /// Writes the record of a new container (its config; a missing or default state means
    /// `created`) in a scratch directory, then renames it into place: a crash leaves either
    /// a whole container or none. The directory is a removed container's spare when there
    /// is one (see `container::spares`: no inode to allocate).
    pub(crate) fn write_new_container(&self, config: &ContainerConfig) -> Result<()> {
        let id = &config.id;
        let scratch = self
            .paths()
            .tmp()
            .join(crate::engine::store::sweep::owned(&format!("create-{id}")));
        let built = (|| -> Result<()> {
            if !crate::engine::container::spares::take(self.paths(), &scratch, id) {
                for d in ["rw/upper", "rw/work"] {
                    std::fs::create_dir_all(scratch.join(d)).at(scratch.join(d))?;
                }
            }
            // The scratch directory is renamed into place whole, so its files need no
            // atomic writes of their own. No state.json is made: a container without one
            // is `created` (the default state), and a spare's says `created` already.
            let config_path = scratch.join(files::CONFIG);
            let data = serde_json::to_vec_pretty(config).map_err(LifecycleError::EncodeRecord)?;
            crate::engine::store::overwrite(&config_path, &data)?;
            let dest = self.paths().container(id);
            std::fs::rename(&scratch, &dest).at(&dest)
        })();
        if built.is_err() {
            let _ = std::fs::remove_dir_all(&scratch);
        }
        built
    }
}
