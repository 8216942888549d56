//! What a container may do beyond Docker's defaults, as `create` recorded it:
//! `--cap-add`/`--cap-drop`, `--privileged` and `--security-opt` (seccomp profile,
//! no-new-privileges). The runtime turns it into capabilities and a filter
//! (`runtime::privileges`).

use super::error::ContainerError;
use serde::{Deserialize, Serialize};

/// The seccomp filter of a container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seccomp {
    /// Docker's default profile.
    #[default]
    Default,
    /// No filter (`seccomp=unconfined`).
    Unconfined,
    /// A profile in Docker's JSON format, as read at create time (`seccomp=FILE`).
    Profile(String),
}

/// The security settings of a container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityConfig {
    /// `--cap-add`, as `CAP_NAME` (or `ALL`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_add: Vec<String>,
    /// `--cap-drop`, as `CAP_NAME` (or `ALL`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_drop: Vec<String>,
    /// `--privileged`: every capability, no seccomp filter, no masked paths, /sys writable.
    #[serde(default)]
    pub privileged: bool,
    /// The seccomp filter.
    #[serde(default)]
    pub seccomp: Seccomp,
    /// Set no_new_privs: setuid and file capabilities give nothing on exec.
    #[serde(default)]
    pub no_new_privileges: bool,
    /// `--device`: host device nodes made in the container and allowed by its cgroup.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<super::devices::Device>,
}

impl SecurityConfig {
    /// `HostConfig.SecurityOpt` as Docker shows it.
    pub fn security_opt(&self) -> Vec<String> {
        let mut v = Vec::new();
        match &self.seccomp {
            Seccomp::Default => {}
            Seccomp::Unconfined => v.push("seccomp=unconfined".to_string()),
            Seccomp::Profile(json) => v.push(format!("seccomp={json}")),
        }
        if self.no_new_privileges {
            v.push("no-new-privileges".to_string());
        }
        v
    }
}

/// `net_admin`, `CAP_NET_ADMIN`, `all` -> `CAP_NET_ADMIN` / `ALL`; an unknown name is an
/// error naming it. A free function, not an `Engine` method: a pure function of the name.
pub fn normalize_capability(name: &str) -> Result<String, ContainerError> {
    let upper = name.trim().to_ascii_uppercase();
    if upper == "ALL" {
        return Ok(upper);
    }
    let full = if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    };
    full.parse::<caps::Capability>()
        .map(|c| c.to_string())
        .map_err(|_| ContainerError::UnknownCapability(full))
}

/// Applies one `--security-opt` value to `sec`. `read_file` reads a seccomp profile's
/// file. Docker's values: `seccomp=unconfined`, `seccomp=FILE`,
/// `no-new-privileges[=true|false]` (also with `:`); `apparmor=` and `label=` are accepted
/// and have no effect here (berth loads no LSM profile).
/// A free function, not an `Engine` method: it needs no state root, so a front end
/// checks the flag before it opens an engine.
pub fn apply_security_opt(
    sec: &mut SecurityConfig,
    opt: &str,
    read_file: impl Fn(&str) -> std::io::Result<String>,
) -> Result<(), ContainerError> {
    let bad = |why: &str| ContainerError::SecurityOpt {
        opt: opt.to_string(),
        why: why.to_string(),
    };
    let profile_error = |path: &str, why: String| ContainerError::SeccompProfile {
        path: path.to_string(),
        why,
    };
    let (key, value) = match opt.split_once(['=', ':']) {
        Some((k, v)) => (k, Some(v)),
        None => (opt, None),
    };
    match (key, value) {
        ("no-new-privileges", None) => sec.no_new_privileges = true,
        ("no-new-privileges", Some(v)) => {
            sec.no_new_privileges = v
                .parse::<bool>()
                .map_err(|_| bad("no-new-privileges takes true or false"))?;
        }
        ("seccomp", Some("unconfined")) => sec.seccomp = Seccomp::Unconfined,
        ("seccomp", Some(path)) if !path.is_empty() => {
            let text = read_file(path).map_err(|e| profile_error(path, e.to_string()))?;
            crate::engine::runtime::seccomp::Profile::from_json(&text)
                .map_err(|e| profile_error(path, e.to_string()))?;
            sec.seccomp = Seccomp::Profile(text);
        }
        ("apparmor" | "label", Some(_)) => {}
        _ => {
            return Err(bad(
                "use seccomp=unconfined, seccomp=FILE or no-new-privileges[=true|false]",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_names_with_or_without_the_prefix() {
        assert_eq!(
            normalize_capability("net_admin"),
            Ok("CAP_NET_ADMIN".into())
        );
        assert_eq!(
            normalize_capability("CAP_SYS_ADMIN"),
            Ok("CAP_SYS_ADMIN".into())
        );
        assert_eq!(normalize_capability("all"), Ok("ALL".into()));
        assert_eq!(
            normalize_capability("fly"),
            Err(ContainerError::UnknownCapability("CAP_FLY".into()))
        );
    }

    #[test]
    fn security_opts_as_docker_takes_them() {
        let none = |_: &str| Err::<String, _>(std::io::Error::other("no files here"));
        let mut s = SecurityConfig::default();
        apply_security_opt(&mut s, "no-new-privileges", none).expect("nnp");
        assert!(s.no_new_privileges);
        apply_security_opt(&mut s, "no-new-privileges:false", none).expect("nnp false");
        assert!(!s.no_new_privileges);
        apply_security_opt(&mut s, "seccomp=unconfined", none).expect("unconfined");
        assert_eq!(s.seccomp, Seccomp::Unconfined);
        assert!(apply_security_opt(&mut s, "seccomp=/x.json", none).is_err());
        let file = |_: &str| Ok(r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#.to_string());
        apply_security_opt(&mut s, "seccomp=/x.json", file).expect("profile");
        assert!(matches!(s.seccomp, Seccomp::Profile(_)));
        assert!(apply_security_opt(&mut s, "bogus", none).is_err());
    }
}
