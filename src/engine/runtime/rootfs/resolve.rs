//! Resolving a path inside a root by hand, as the kernel's `RESOLVE_IN_ROOT` does.

use std::collections::VecDeque;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Resolves `path` inside `root` as if `root` were `/`: symlinks are followed within the
/// root and `..` stops at it, so the result never leaves `root`. Written by hand because it
/// must run in the cloned child before exec, with no runtime and no allocation-heavy crate.
pub fn resolve_in_root(root: &Path, path: &str) -> PathBuf {
    let mut resolved = PathBuf::new();
    let mut pending: VecDeque<String> = Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    let mut links = 0;
    while let Some(c) = pending.pop_front() {
        if c == ".." {
            resolved.pop();
            continue;
        }
        let candidate = root.join(&resolved).join(&c);
        match fs::symlink_metadata(&candidate) {
            Ok(m) if m.file_type().is_symlink() && links < 40 => {
                links += 1;
                let Ok(target) = fs::read_link(&candidate) else {
                    break;
                };
                if target.is_absolute() {
                    resolved.clear();
                }
                let parts: Vec<String> = target
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        Component::ParentDir => Some("..".into()),
                        _ => None,
                    })
                    .collect();
                for p in parts.into_iter().rev() {
                    pending.push_front(p);
                }
            }
            _ => resolved.push(c),
        }
    }
    root.join(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn resolution_never_leaves_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("etc")).expect("mkdir");
        symlink("/", root.join("evil")).expect("symlink");
        symlink("../../../../etc", root.join("up")).expect("symlink");
        symlink("etc", root.join("rel")).expect("symlink");
        assert_eq!(
            resolve_in_root(root, "/evil/etc/passwd"),
            root.join("etc/passwd")
        );
        assert_eq!(resolve_in_root(root, "/up/hosts"), root.join("etc/hosts"));
        assert_eq!(resolve_in_root(root, "/../../x"), root.join("x"));
        assert_eq!(resolve_in_root(root, "/rel/x"), root.join("etc/x"));
        symlink("loop", root.join("loop")).expect("symlink");
        assert!(resolve_in_root(root, "/loop/x").starts_with(root));
    }
}
