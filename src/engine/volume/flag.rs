//! Parsing `-v` / `--volume` and `--tmpfs` values into mount specifications.

use super::error::VolumeError;
use super::model::valid_volume_name;
use crate::engine::container::{MountKind, MountSpec};
use std::path::{Component, Path};

/// Parses `-v`: `HOST:CTR[:OPTS]` (a bind mount; HOST absolute or `./relative`, and must
/// exist), `NAME:CTR[:OPTS]` (a named volume), or `CTR` alone (an anonymous volume: kind
/// `Volume` with an empty source, which create fills with a random name). OPTS are
/// comma-separated: `ro`, `rw`, and the accepted-but-ignored `z`, `Z`, `nocopy`.
/// A free function, not an `Engine` method: it needs no state root, so a front end
/// checks the flag before it opens an engine.
pub fn parse_volume_flag(s: &str) -> Result<MountSpec, VolumeError> {
    let parts: Vec<&str> = s.split(':').collect();
    let (source, destination, opts) = match parts.as_slice() {
        [dst] => ("", *dst, ""),
        [dst, opts] if dst.starts_with('/') && is_mode(opts) => ("", *dst, *opts),
        [src, dst] => (*src, *dst, ""),
        [src, dst, opts] => (*src, *dst, *opts),
        _ => {
            return Err(VolumeError::Specification(s.to_string()));
        }
    };
    check_destination(s, destination)?;
    let read_only = parse_mode(s, opts)?;
    let (kind, source) = if source.is_empty() {
        (MountKind::Volume, String::new())
    } else if source.starts_with('/')
        || source == "."
        || source.starts_with("./")
        || source.starts_with("../")
        || source == ".."
    {
        (MountKind::Bind, bind_source(source)?)
    } else if valid_volume_name(source) {
        (MountKind::Volume, source.to_string())
    } else {
        return Err(VolumeError::NameInFlag {
            name: source.to_string(),
            spec: s.to_string(),
        });
    };
    Ok(MountSpec {
        kind,
        source,
        destination: destination.to_string(),
        read_only,
        options: String::new(),
    })
}

/// Parses `--tmpfs CTR[:OPTS]`; OPTS are mount options such as `rw,noexec,size=64m,mode=1777`.
/// `ro` makes it read-only; the other options are kept in `options`.
/// A free function, not an `Engine` method: it needs no state root, so a front end
/// checks the flag before it opens an engine.
pub fn parse_tmpfs_flag(s: &str) -> Result<MountSpec, VolumeError> {
    let (destination, opts) = s.split_once(':').unwrap_or((s, ""));
    check_destination(s, destination)?;
    let mut read_only = false;
    let mut kept = Vec::new();
    for opt in opts.split(',').filter(|o| !o.is_empty()) {
        let (key, value) = opt.split_once('=').unwrap_or((opt, ""));
        match (key, value.is_empty()) {
            ("ro", true) => read_only = true,
            ("rw", true) => read_only = false,
            (
                "exec" | "noexec" | "suid" | "nosuid" | "dev" | "nodev" | "atime" | "noatime"
                | "relatime" | "strictatime",
                true,
            ) => kept.push(opt),
            ("size", false) if valid_size(value) => kept.push(opt),
            ("mode", false) if u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777) => {
                kept.push(opt)
            }
            ("uid" | "gid" | "nr_inodes", false) if value.parse::<u64>().is_ok() => kept.push(opt),
            _ => {
                return Err(VolumeError::TmpfsOption {
                    option: opt.to_string(),
                    spec: s.to_string(),
                });
            }
        }
    }
    Ok(MountSpec {
        kind: MountKind::Tmpfs,
        source: String::new(),
        destination: destination.to_string(),
        read_only,
        options: kept.join(","),
    })
}

/// `64m`, `1g`, `65536k`, `100000`, `50%`.
fn valid_size(v: &str) -> bool {
    let digits = v.trim_end_matches(['k', 'K', 'm', 'M', 'g', 'G', '%']);
    v.len() - digits.len() <= 1 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn check_destination(spec: &str, dst: &str) -> Result<(), VolumeError> {
    let invalid = |why| VolumeError::Destination {
        destination: dst.to_string(),
        spec: spec.to_string(),
        why,
    };
    if !dst.starts_with('/') {
        return Err(invalid("the path inside the container must be absolute"));
    }
    if Path::new(dst)
        .components()
        .all(|c| matches!(c, Component::RootDir | Component::CurDir))
    {
        return Err(invalid("cannot mount over the container's '/'"));
    }
    Ok(())
}

fn is_mode(opts: &str) -> bool {
    opts.split(',')
        .all(|o| matches!(o, "ro" | "rw" | "z" | "Z" | "nocopy"))
}

/// Returns whether the mount is read-only.
fn parse_mode(spec: &str, opts: &str) -> Result<bool, VolumeError> {
    let mut read_only = false;
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o {
            "ro" => read_only = true,
            "rw" => read_only = false,
            "z" | "Z" | "nocopy" => {}
            _ => {
                return Err(VolumeError::Mode {
                    mode: o.to_string(),
                    spec: spec.to_string(),
                });
            }
        }
    }
    Ok(read_only)
}

/// Makes a bind source absolute (relative to the current directory) and checks it exists.
fn bind_source(src: &str) -> Result<String, VolumeError> {
    let path = if src.starts_with('/') {
        Path::new(src).to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| VolumeError::Resolve {
                source_path: src.to_string(),
                source,
            })?
            .join(src)
    };
    if std::fs::metadata(&path).is_err() {
        return Err(VolumeError::NoBindSource(path));
    }
    Ok(path.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: MountKind, source: &str, dst: &str, ro: bool) -> MountSpec {
        MountSpec {
            kind,
            source: source.into(),
            destination: dst.into(),
            read_only: ro,
            options: String::new(),
        }
    }

    #[test]
    fn bind_named_and_anonymous() {
        assert_eq!(
            parse_volume_flag("/tmp:/data").ok(),
            Some(spec(MountKind::Bind, "/tmp", "/data", false))
        );
        assert_eq!(
            parse_volume_flag("/tmp:/data:ro").ok(),
            Some(spec(MountKind::Bind, "/tmp", "/data", true))
        );
        assert_eq!(
            parse_volume_flag("/tmp:/data:rw").ok(),
            Some(spec(MountKind::Bind, "/tmp", "/data", false))
        );
        assert_eq!(
            parse_volume_flag("db:/var/lib/db").ok(),
            Some(spec(MountKind::Volume, "db", "/var/lib/db", false))
        );
        assert_eq!(
            parse_volume_flag("db:/var/lib/db:ro").ok(),
            Some(spec(MountKind::Volume, "db", "/var/lib/db", true))
        );
        assert_eq!(
            parse_volume_flag("/cache").ok(),
            Some(spec(MountKind::Volume, "", "/cache", false))
        );
        assert_eq!(
            parse_volume_flag("/cache:ro").ok(),
            Some(spec(MountKind::Volume, "", "/cache", true))
        );
    }

    #[test]
    fn relative_bind_source_becomes_absolute() {
        let m = parse_volume_flag(".:/src").expect("parse");
        assert_eq!(m.kind, MountKind::Bind);
        assert!(m.source.starts_with('/'));
    }

    #[test]
    fn errors_are_clear() {
        let e = parse_volume_flag("/tmp:data")
            .expect_err("relative dst")
            .to_string();
        assert!(e.contains("must be absolute"), "{e}");
        let e = parse_volume_flag("/tmp:/")
            .expect_err("root dst")
            .to_string();
        assert!(e.contains("'/'"), "{e}");
        let e = parse_volume_flag("/definitely/not/here:/x")
            .expect_err("missing source")
            .to_string();
        assert!(e.contains("does not exist"), "{e}");
        let e = parse_volume_flag("/tmp:/x:rx")
            .expect_err("bad mode")
            .to_string();
        assert!(e.contains("invalid mode 'rx'"), "{e}");
        let e = parse_volume_flag("bad name:/x")
            .expect_err("bad name")
            .to_string();
        assert!(e.contains("invalid volume name 'bad name'"), "{e}");
        assert!(parse_volume_flag("a:b:c:d").is_err());
        assert!(parse_volume_flag("relative").is_err());
        assert!(!e.contains('\n'));
    }

    #[test]
    fn tmpfs() {
        let m = parse_tmpfs_flag("/run:rw,noexec,size=64m,mode=1777").expect("parse");
        assert_eq!(m.kind, MountKind::Tmpfs);
        assert_eq!(m.destination, "/run");
        assert!(!m.read_only);
        assert_eq!(m.options, "noexec,size=64m,mode=1777");
        let m = parse_tmpfs_flag("/tmp").expect("parse");
        assert_eq!(m.options, "");
        assert!(parse_tmpfs_flag("/ro:ro").expect("parse").read_only);
        assert!(parse_tmpfs_flag("tmp").is_err());
        assert!(parse_tmpfs_flag("/").is_err());
        let e = parse_tmpfs_flag("/x:size=lots")
            .expect_err("bad size")
            .to_string();
        assert!(e.contains("'size=lots'"), "{e}");
        assert!(parse_tmpfs_flag("/x:mode=999").is_err());
    }
}
