//! Resolving a path as the container sees it to a host path that cannot leave its root.
//!
//! Symlinks inside a container are written relative to the container's `/`; following them
//! with the host's path lookup would escape to the host (`/evil -> /` then `/evil/etc/passwd`
//! would be the host's password file). We walk the path one component at a time with
//! `lstat`, expand each symlink ourselves and clamp `..` and absolute targets at the root
//! (as Go's `securejoin` does). The result contains no symlink in its existing components.
//!
//! Why hand-written rather than `openat2(RESOLVE_IN_ROOT)`: the tar reader and writer work
//! on paths, not descriptors. The remaining gap is a race with a *running* container that
//! swaps a directory for a symlink between our check and our use (the same window docker cp
//! has); for a stopped container the overlay is mounted privately and the container lock is
//! held, so nothing else changes it.

use crate::engine::error::{EngineError, Result};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one resolution may expand (Linux's limit is 40).
const MAX_LINKS: u32 = 40;

/// Resolves `path` (absolute or relative to `/`, as seen inside the container) under `root`.
/// With `follow_final`, a symlink in the last component is followed too; otherwise the last
/// component is kept as it is (so a symlink can be copied as a symlink), unless the path
/// ends in `/` or `/.`. Components that do
/// not exist are kept literally. Returns the container-relative resolved path (no `..`,
/// no symlinks among the existing components); join it to `root` to use it.
pub fn resolve_in_root(root: &Path, path: &Path, follow_final: bool) -> Result<PathBuf> {
    // `dir/` and `dir/.` name the directory a final symlink points to, as in the kernel
    // (`Path::components` drops both spellings, so look at the bytes).
    let raw = path.as_os_str().as_encoded_bytes();
    let follow_final = follow_final || raw.ends_with(b"/") || raw.ends_with(b"/.");
    let mut pending: VecDeque<OsString> = names(path).collect();
    let mut resolved: Vec<OsString> = Vec::new();
    let mut links = 0;
    while let Some(name) = pending.pop_front() {
        if name == ".." {
            resolved.pop();
            continue;
        }
        let is_last = pending.iter().all(|n| n == ".");
        if is_last && !follow_final {
            resolved.push(name);
            continue;
        }
        let candidate: PathBuf = root.join(resolved.iter().collect::<PathBuf>()).join(&name);
        let meta = match std::fs::symlink_metadata(&candidate) {
            Ok(m) => m,
            Err(_) => {
                resolved.push(name);
                continue;
            }
        };
        if !meta.file_type().is_symlink() {
            resolved.push(name);
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return Err(EngineError::Invalid(format!(
                "too many levels of symbolic links in '{}'",
                path.display()
            )));
        }
        let target =
            std::fs::read_link(&candidate).map_err(|e| EngineError::io(candidate.clone(), e))?;
        if target.is_absolute() {
            resolved.clear();
        }
        for n in names(&target).collect::<Vec<_>>().into_iter().rev() {
            pending.push_front(n);
        }
    }
    Ok(resolved.iter().collect())
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
        symlink("/", root.join("evil")).expect("symlink");
        symlink("../../../../..", root.join("up")).expect("symlink");
        symlink("usr/lib", root.join("lib")).expect("symlink");
        symlink("/etc/passwd", root.join("pw")).expect("symlink");
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
        assert_eq!(r("/", true), PathBuf::new());
        assert_eq!(r("/missing/../etc", true), PathBuf::from("etc"));
        let e = resolve_in_root(root, Path::new("/loop1"), true).expect_err("loop");
        assert!(e.to_string().contains("too many levels"), "{e}");
    }
}
