//! Paths inside a container's root resolved by the kernel: `openat2` with
//! `RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS`, so a symlink (even one swapped in while berth
//! works, by another container sharing a volume: CVE-2021-30465) can never lead out of the
//! root, and `/proc/self/fd/N` names are refused (CVE-2024-21626). Mount points are made
//! and opened this way, and mounts are made on the opened descriptor
//! (`/proc/self/fd/N`), never on a path resolved again. `cp`, `export`'s callers and the
//! volume copy at create, which work on paths (the tar reader and writer), get theirs from
//! [`Root::resolve`]: the kernel's lookup, read back as a path (see `resolve.rs`).

mod resolve;

pub use resolve::resolve_in_root;

use super::error::{Result, RuntimeError};
use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat2};
use nix::sys::stat::Mode;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

/// A container's root, opened.
pub struct Root {
    fd: OwnedFd,
    shown: PathBuf,
}

fn how(flags: OFlag) -> OpenHow {
    OpenHow::new()
        .flags(flags | OFlag::O_CLOEXEC)
        .resolve(ResolveFlag::RESOLVE_IN_ROOT | ResolveFlag::RESOLVE_NO_MAGICLINKS)
}

/// The name a mount call takes for `fd`: the kernel resolves it to what `fd` is.
pub fn fd_path(fd: &OwnedFd) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()))
}

/// The plain components of `path` (`.` and the leading `/` dropped; `..` kept, for the
/// kernel to stop at the root).
fn components(path: &str) -> Vec<String> {
    Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

impl Root {
    /// Opens the root directory at `path` (a path of the caller's own, not the container's).
    pub fn open(path: &Path) -> Result<Root> {
        let fd = nix::fcntl::open(
            path,
            OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| RuntimeError::path("open", path, e))?;
        Ok(Root {
            fd,
            shown: path.to_path_buf(),
        })
    }

    fn err(&self, call: &'static str, path: &str, source: Errno) -> RuntimeError {
        RuntimeError::InRoot {
            call,
            path: path.to_string(),
            root: self.shown.clone(),
            source,
        }
    }

    /// Opens `path` inside the root (`O_PATH`, or `flags`).
    pub fn open_in(&self, path: &str, flags: OFlag) -> std::result::Result<OwnedFd, Errno> {
        self.open_how(path, how(flags))
    }

    /// `openat2` of `path` below the root with `how`.
    fn open_how(&self, path: &str, how: OpenHow) -> std::result::Result<OwnedFd, Errno> {
        self.open_rel(Path::new(&components(path).join("/")), how)
    }

    /// `openat2` of the relative `rel` below the root with `how`. With RESOLVE_IN_ROOT the
    /// kernel answers EAGAIN when a rename or mount anywhere raced the lookup: the call is
    /// made again (bounded, as libpathrs does).
    fn open_rel(&self, rel: &Path, how: OpenHow) -> std::result::Result<OwnedFd, Errno> {
        let rel = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let mut tries = 0;
        loop {
            match openat2(&self.fd, rel, how) {
                Err(Errno::EAGAIN) if tries < 128 => tries += 1,
                other => return other,
            }
        }
    }

    /// Makes the directory `path` and its missing parents inside the root; returns it
    /// opened (`O_PATH`). A dangling symlink on the way is followed as the kernel would
    /// (inside the root) and its target made.
    pub fn mkdir_all(&self, path: &str) -> Result<OwnedFd> {
        self.mkdir_all_depth(components(path), 0)
    }

    fn mkdir_all_depth(&self, parts: Vec<String>, links: u32) -> Result<OwnedFd> {
        let mut dir = self
            .open_in(".", OFlag::O_PATH | OFlag::O_DIRECTORY)
            .map_err(|e| self.err("open", "/", e))?;
        let mut sofar: Vec<String> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            sofar.push(part.clone());
            let shown = format!("/{}", sofar.join("/"));
            let next = match self.open_in(&shown, OFlag::O_PATH | OFlag::O_DIRECTORY) {
                Err(Errno::ENOENT) => {
                    // A plain name made in the directory its parent resolved to.
                    let mode = Mode::from_bits_truncate(0o755);
                    match nix::sys::stat::mkdirat(&dir, part.as_str(), mode) {
                        Ok(()) => {}
                        Err(Errno::EEXIST) => {
                            // A dangling symlink: make its target (in the root) instead.
                            let target = nix::fcntl::readlinkat(&dir, part.as_str())
                                .map_err(|e| self.err("read link", &shown, e))?;
                            if links >= 40 {
                                return Err(self.err("open", &shown, Errno::ELOOP));
                            }
                            let target = target.to_string_lossy().into_owned();
                            let mut again = if target.starts_with('/') {
                                Vec::new()
                            } else {
                                sofar[..sofar.len() - 1].to_vec()
                            };
                            again.extend(components(&target));
                            again.extend(parts[i + 1..].iter().cloned());
                            return self.mkdir_all_depth(again, links + 1);
                        }
                        Err(e) => return Err(self.err("create", &shown, e)),
                    }
                    self.open_in(&shown, OFlag::O_PATH | OFlag::O_DIRECTORY)
                }
                other => other,
            };
            dir = next.map_err(|e| self.err("open", &shown, e))?;
        }
        Ok(dir)
    }

    /// A mount point at `path` inside the root: a directory, or an empty file when
    /// `file`; made if missing, returned opened (`O_PATH`).
    pub fn mountpoint(&self, path: &str, file: bool) -> Result<OwnedFd> {
        if !file {
            return self.mkdir_all(path);
        }
        match self.open_in(path, OFlag::O_PATH) {
            Ok(fd) => return Ok(fd),
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(self.err("open", path, e)),
        }
        let parts = components(path);
        if let Some((_, parents)) = parts.split_last() {
            self.mkdir_all(&parents.join("/"))?;
        }
        let made = self.open_how(
            path,
            how(OFlag::O_CREAT | OFlag::O_RDONLY).mode(Mode::from_bits_truncate(0o644)),
        );
        match made {
            Ok(_) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(self.err("create", path, e)),
        }
        self.open_in(path, OFlag::O_PATH)
            .map_err(|e| self.err("open", path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points_stay_inside_the_root_whatever_the_symlinks_say() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = t.path().join("root");
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&root).expect("root");
        std::fs::create_dir_all(&outside).expect("outside");
        std::os::unix::fs::symlink(&outside, root.join("abs")).expect("link");
        std::os::unix::fs::symlink("../../outside", root.join("rel")).expect("link");
        let r = Root::open(&root).expect("open");
        r.mountpoint("/abs/made", false)
            .expect("dir through an absolute link");
        r.mountpoint("/rel/file", true)
            .expect("file through a relative link");
        r.mountpoint("/../../x", false).expect("dotdot");
        assert_eq!(
            std::fs::read_dir(&outside).expect("ls").count(),
            0,
            "wrote outside"
        );
        // The absolute link resolved in the root: /outside inside it.
        assert!(
            root.join(outside.strip_prefix("/").expect("abs"))
                .join("made")
                .is_dir()
        );
        assert!(root.join("outside/file").is_file());
        assert!(root.join("x").is_dir());
        // Magic links are refused.
        assert!(
            r.open_in("/proc/self/fd/0", OFlag::O_PATH).is_err()
                || !Path::new("/proc/self/fd/0").exists()
        );
    }
}
