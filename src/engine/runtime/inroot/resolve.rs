//! A path as the container sees it, resolved by the kernel to where it leads inside the
//! root, for the code that works on paths (`cp`'s tar reader and writer, `stat`, the copy
//! of an image's files into a new volume).
//!
//! Each lookup is `openat2(RESOLVE_IN_ROOT)` on the root, so symlinks (absolute ones,
//! `..` chains) are clamped at the root by the kernel and magic links are refused; where
//! the lookup landed is read back from `/proc/self/fd/N` (relative to the root's own
//! entry there, which is `/` for a running container's `/proc/<pid>/root`). The kernel
//! stops at what does not exist, and there `cp` must still know where a new file goes, so
//! a fallback is genuinely needed for two cases only: a name that does not exist (it cannot
//! be a symlink, so it and any `..` after it are taken as written) and a dangling symlink
//! (its target is read with `readlinkat` and resolved again, inside the root, as the kernel
//! would if it existed). The result is a path, so a *running* container that swaps a
//! directory for a symlink between this lookup and the use of the path still has the same
//! window `docker cp` has; a stopped container's root is mounted privately under its lock.

use super::{Root, fd_path};
use crate::engine::error::{EngineError, Result};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::{SFlag, fstat};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};

/// How many dangling symlinks one resolution may expand (Linux's limit is 40).
const MAX_LINKS: u32 = 40;

/// Resolves `path` (absolute or relative to `/`, as seen inside the container) under
/// `root`; see [`Root::resolve`].
pub fn resolve_in_root(root: &Path, path: &Path, follow_final: bool) -> Result<PathBuf> {
    Root::open(root)?.resolve(path, follow_final)
}

impl Root {
    /// Resolves `path` (absolute or relative to `/`, as seen inside the container). With
    /// `follow_final`, a symlink in the last component is followed too; otherwise the last
    /// component is kept as it is (so a symlink can be copied as a symlink), unless the path
    /// ends in `/` or `/.`. Components that do not exist are kept literally. Returns the
    /// root-relative resolved path (no `..`, no symlinks among the existing components);
    /// join it to the root's path to use it.
    pub fn resolve(&self, path: &Path, follow_final: bool) -> Result<PathBuf> {
        // `dir/` and `dir/.` name the directory a final symlink points to, as in the kernel
        // (`Path::components` drops both spellings, so look at the bytes).
        let raw = path.as_os_str().as_encoded_bytes();
        let follow_final = follow_final || raw.ends_with(b"/") || raw.ends_with(b"/.");
        let mut rest: VecDeque<OsString> = names(path).collect();
        let last = match rest.back() {
            Some(n) if !follow_final && n != ".." => rest.pop_back(),
            _ => None,
        };
        let base = self.located(&self.fd, path)?;
        let mut done = PathBuf::new();
        let mut links = 0;
        while !rest.is_empty() {
            // Most often the whole rest exists: one lookup.
            let whole = done.join(rest.iter().collect::<PathBuf>());
            match self.open_in_rel(&whole, OFlag::O_PATH) {
                Ok(fd) => {
                    done = self.relative(&fd, &base, path)?;
                    break;
                }
                Err(Errno::ELOOP) => return Err(too_many_links(path)),
                Err(_) => {}
            }
            let Some(name) = rest.pop_front() else { break };
            if name == ".." {
                // `done` is either resolved (no symlinks) or ends in names that do not exist.
                done.pop();
                continue;
            }
            let next = done.join(&name);
            match self.open_in_rel(&next, OFlag::O_PATH) {
                Ok(fd) => done = self.relative(&fd, &base, path)?,
                Err(Errno::ELOOP) => return Err(too_many_links(path)),
                Err(_) => match self.dangling_target(&next, path)? {
                    Some(target) => {
                        links += 1;
                        if links > MAX_LINKS {
                            return Err(too_many_links(path));
                        }
                        if target.is_absolute() {
                            done = PathBuf::new();
                        }
                        for n in names(&target).collect::<Vec<_>>().into_iter().rev() {
                            rest.push_front(n);
                        }
                    }
                    None => done.push(&name),
                },
            }
        }
        if let Some(last) = last {
            done.push(last);
        }
        Ok(done)
    }

    fn open_in_rel(&self, rel: &Path, flags: OFlag) -> std::result::Result<OwnedFd, Errno> {
        self.open_rel(rel, super::how(flags))
    }

    /// The target of `rel` when it is a symlink (one whose target does not exist, since
    /// following it failed); `None` when there is nothing there.
    fn dangling_target(&self, rel: &Path, asked: &Path) -> Result<Option<PathBuf>> {
        let Ok(fd) = self.open_in_rel(rel, OFlag::O_PATH | OFlag::O_NOFOLLOW) else {
            return Ok(None);
        };
        let is_link = fstat(&fd).is_ok_and(|st| {
            SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFLNK
        });
        if !is_link {
            return Ok(None);
        }
        nix::fcntl::readlinkat(&fd, "")
            .map(|t| Some(PathBuf::from(t)))
            .map_err(|e| self.err("read link", &asked.to_string_lossy(), e).into())
    }

    /// Where the kernel says `fd` is.
    fn located(&self, fd: &OwnedFd, asked: &Path) -> Result<PathBuf> {
        nix::fcntl::readlink(&fd_path(fd))
            .map(PathBuf::from)
            .map_err(|e| self.err("read link", &asked.to_string_lossy(), e).into())
    }

    /// `fd`'s path relative to the root (`base`: where the kernel says the root is).
    fn relative(&self, fd: &OwnedFd, base: &Path, asked: &Path) -> Result<PathBuf> {
        let at = self.located(fd, asked)?;
        at.strip_prefix(base).map(Path::to_path_buf).map_err(|_| {
            self.err("resolve", &asked.to_string_lossy(), Errno::EXDEV)
                .into()
        })
    }
}

fn too_many_links(path: &Path) -> EngineError {
    EngineError::Invalid(format!(
        "too many levels of symbolic links in '{}'",
        path.display()
    ))
}

/// The components of a path that matter for resolution: names and `..` (no root, no `.`).
fn names(path: &Path) -> impl Iterator<Item = OsString> + '_ {
    path.components().filter_map(|c| match c {
        Component::Normal(n) => Some(n.to_os_string()),
        Component::ParentDir => Some(OsString::from("..")),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn symlinks_are_clamped_to_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("etc")).expect("mkdir");
        std::fs::create_dir_all(root.join("usr/lib")).expect("mkdir");
        std::fs::write(root.join("etc/passwd"), b"root:x:0:0").expect("passwd");
        symlink("/", root.join("evil")).expect("symlink");
        symlink("../../../../..", root.join("up")).expect("symlink");
        symlink("usr/lib", root.join("lib")).expect("symlink");
        symlink("/etc/passwd", root.join("pw")).expect("symlink");
        symlink("/new/dir", root.join("dangling")).expect("symlink");
        symlink("loop2", root.join("loop1")).expect("symlink");
        symlink("loop1", root.join("loop2")).expect("symlink");

        let r = |p: &str, follow| resolve_in_root(root, Path::new(p), follow).expect("resolve");
        assert_eq!(r("/evil/etc/passwd", true), PathBuf::from("etc/passwd"));
        assert_eq!(r("/up/etc/passwd", true), PathBuf::from("etc/passwd"));
        assert_eq!(r("../../etc", true), PathBuf::from("etc"));
        assert_eq!(r("/lib/x.so", true), PathBuf::from("usr/lib/x.so"));
        assert_eq!(r("/pw", true), PathBuf::from("etc/passwd"));
        assert_eq!(r("/pw", false), PathBuf::from("pw"));
        assert_eq!(r("/lib/.", false), PathBuf::from("usr/lib"));
        assert_eq!(r("/lib/", false), PathBuf::from("usr/lib"));
        assert_eq!(r("/", true), PathBuf::new());
        assert_eq!(r("/missing/../etc", true), PathBuf::from("etc"));
        assert_eq!(r("/missing/deeper/../x", true), PathBuf::from("missing/x"));
        assert_eq!(r("/dangling/f", true), PathBuf::from("new/dir/f"));
        assert_eq!(r("/dangling", false), PathBuf::from("dangling"));
        assert_eq!(r("/evil/dangling", true), PathBuf::from("new/dir"));
        assert_eq!(r("/etc/passwd/x", true), PathBuf::from("etc/passwd/x"));
        let e = resolve_in_root(root, Path::new("/loop1"), true).expect_err("loop");
        assert!(e.to_string().contains("too many levels"), "{e}");
    }
}
