//! `--cap-add`, `--cap-drop`, `--privileged` and `--security-opt` of `run`/`create`,
//! checked and turned into the engine's security settings.

use crate::engine::{SecurityConfig, apply_security_opt, normalize_capability};
use anyhow::Result;
use clap::Args;

/// The security flags.
#[derive(Debug, Args, Clone, Default)]
pub struct SecurityArgs {
    /// Add Linux capabilities (NAME or CAP_NAME, or ALL).
    #[arg(long = "cap-add")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities (NAME or CAP_NAME, or ALL).
    #[arg(long = "cap-drop")]
    pub cap_drop: Vec<String>,
    /// Give extended privileges to this container (every capability, no seccomp filter,
    /// no masked paths, /sys writable).
    #[arg(long)]
    pub privileged: bool,
    /// Security options (seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges[=true|false]).
    #[arg(long = "security-opt")]
    pub security_opt: Vec<String>,
    /// Add a host device to the container (HOST[:CONTAINER[:PERMS]]).
    #[arg(long = "device")]
    pub device: Vec<String>,
}

impl SecurityArgs {
    /// The engine's settings; `no_new_privileges` is the configured default
    /// (`security.no_new_privileges`), which `--security-opt no-new-privileges=…` overrides.
    pub fn to_config(&self, no_new_privileges: bool) -> Result<SecurityConfig> {
        let caps = |names: &[String], flag: &str| -> Result<Vec<String>> {
            names
                .iter()
                .map(|n| {
                    normalize_capability(n).map_err(|e| anyhow::anyhow!("invalid {flag}: {e}"))
                })
                .collect()
        };
        let mut sec = SecurityConfig {
            cap_add: caps(&self.cap_add, "--cap-add")?,
            cap_drop: caps(&self.cap_drop, "--cap-drop")?,
            privileged: self.privileged,
            no_new_privileges,
            ..SecurityConfig::default()
        };
        for d in &self.device {
            sec.devices.push(crate::engine::parse_device(d)?);
        }
        for opt in &self.security_opt {
            apply_security_opt(&mut sec, opt, |path| std::fs::read_to_string(path))?;
        }
        Ok(sec)
    }
}
