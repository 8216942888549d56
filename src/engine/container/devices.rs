//! `--device HOST[:CONTAINER[:PERMS]]`: host device nodes given to a container, checked
//! and recorded at create (kind, major and minor numbers, as the host has them then).

use super::error::ContainerError;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::{FileTypeExt, MetadataExt};

/// A device node of the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The host's path.
    pub host: String,
    /// Where it appears in the container.
    pub container: String,
    /// `c` or `b`.
    pub kind: char,
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// What the devices cgroup lets the container do: some of `r`, `w`, `m`.
    pub perms: String,
}

impl Device {
    /// The devices cgroup rule (`c 1:3 rwm`).
    pub fn rule(&self) -> String {
        format!("{} {}:{} {}", self.kind, self.major, self.minor, self.perms)
    }
}

/// Parses a `--device` value and looks the node up on the host.
/// A free function, not an `Engine` method: it needs no state root, so a front end
/// checks the flag before it opens an engine.
pub fn parse(spec: &str) -> Result<Device, ContainerError> {
    let bad = |why: &str| ContainerError::Device {
        spec: spec.to_string(),
        why: why.to_string(),
    };
    let mut parts = spec.split(':');
    let host = parts.next().unwrap_or_default().to_string();
    let mut container = host.clone();
    let mut perms = "rwm".to_string();
    match (parts.next(), parts.next(), parts.next()) {
        (None, ..) => {}
        (Some(p), None, _) if is_perms(p) => perms = p.to_string(),
        (Some(c), None, _) => container = c.to_string(),
        (Some(c), Some(p), None) if is_perms(p) => {
            container = c.to_string();
            perms = p.to_string();
        }
        _ => return Err(bad("use HOST[:CONTAINER[:PERMS]], PERMS of r, w and m")),
    }
    if !host.starts_with('/') || !container.starts_with('/') {
        return Err(bad("the paths must be absolute"));
    }
    let md = std::fs::metadata(&host).map_err(|e| bad(&format!("{host}: {e}")))?;
    let kind = if md.file_type().is_char_device() {
        'c'
    } else if md.file_type().is_block_device() {
        'b'
    } else {
        return Err(bad(&format!("{host} is not a device node")));
    };
    let rdev = md.rdev();
    Ok(Device {
        host,
        container,
        kind,
        major: nix::sys::stat::major(rdev),
        minor: nix::sys::stat::minor(rdev),
        perms,
    })
}

fn is_perms(p: &str) -> bool {
    !p.is_empty() && p.len() <= 3 && p.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
}

/// Every character and block device under the host's /dev (not pts, shm or mqueue), for
/// `--privileged`.
pub fn all_host_devices() -> Vec<Device> {
    let mut out = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("/dev")];
    while let Some(dir) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            let Ok(md) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = md.file_type();
            if ft.is_dir() {
                if !matches!(e.file_name().to_str(), Some("pts" | "shm" | "mqueue")) {
                    dirs.push(path);
                }
                continue;
            }
            let kind = if ft.is_char_device() {
                'c'
            } else if ft.is_block_device() {
                'b'
            } else {
                continue;
            };
            let p = path.to_string_lossy().into_owned();
            out.push(Device {
                host: p.clone(),
                container: p,
                kind,
                major: nix::sys::stat::major(md.rdev()),
                minor: nix::sys::stat::minor(md.rdev()),
                perms: "rwm".into(),
            });
        }
    }
    out.sort_by(|a, b| a.container.cmp(&b.container));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_specs_as_docker_takes_them() {
        let d = parse("/dev/null").expect("null");
        assert_eq!((d.kind, d.major, d.minor), ('c', 1, 3));
        assert_eq!(d.container, "/dev/null");
        assert_eq!(d.rule(), "c 1:3 rwm");
        let d = parse("/dev/null:/dev/mynull:r").expect("renamed");
        assert_eq!(
            (d.container.as_str(), d.perms.as_str()),
            ("/dev/mynull", "r")
        );
        assert_eq!(parse("/dev/zero:rw").expect("perms").perms, "rw");
        assert!(
            parse("/etc/passwd")
                .expect_err("file")
                .to_string()
                .contains("not a device")
        );
        assert!(parse("/dev/null:/x:rwx").is_err());
        assert!(parse("/no/such").is_err());
    }
}
