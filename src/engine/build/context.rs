//! The build context: the directory COPY and ADD read from, minus what `.dockerignore`
//! excludes. Every source path stays inside it: `..` above the top, and symlinks whose
//! target leads out (absolute, or climbing above the top), are refused. Absolute sources
//! are relative to the context, as in Docker.
//!
//! The same resolver reads earlier stages (`COPY --from`), where `..` and symlinks are
//! followed the way the container would see them: clamped to that root instead of refused
//! (as Docker does: `COPY --from=stage ../../etc/passwd` copies the stage's file).
//!
//! Symlink chains are followed at most `MAX_SYMLINKS` times in all (the kernel's limit),
//! so a link to itself ends in a clear ELOOP error naming the path.

use super::error::BuildError;
use super::ignore::{Ignore, fnmatch};
use std::fs;
use std::path::{Path, PathBuf};

/// A tree sources are taken from.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Its top directory on the host (None: no context, a Dockerfile from stdin).
    pub root: Option<PathBuf>,
    /// Exclusions (the context's `.dockerignore`).
    pub ignore: Ignore,
    /// True for the context: escaping symlinks are errors rather than clamped.
    pub strict: bool,
}

/// A source a pattern resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where it is on the host (symlinks resolved).
    pub host: PathBuf,
    /// Its path relative to the tree as named (for `.dockerignore` and the base name).
    pub rel: String,
    /// Whether it is a directory.
    pub is_dir: bool,
}

/// The most symlinks one source path may go through, as Linux's `MAXSYMLINKS`.
pub const MAX_SYMLINKS: u32 = 40;

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

impl Tree {
    /// The context directory `root`, with its `.dockerignore` if any.
    pub fn context(root: &Path) -> Result<Tree, BuildError> {
        let root = fs::canonicalize(root).map_err(|e| {
            BuildError::Context(format!(
                "cannot open build context '{}': {e}",
                root.display()
            ))
        })?;
        if !root.is_dir() {
            return Err(BuildError::Context(format!(
                "build context '{}' is not a directory",
                root.display()
            )));
        }
        let tree = Tree {
            root: Some(root.clone()),
            ignore: Ignore::default(),
            strict: true,
        };
        // `.dockerignore` is read only where it resolves inside the context.
        let ignore = match tree.resolve(".dockerignore", "context") {
            Ok(found) => {
                let p = &found[0].host;
                let t = fs::read_to_string(p)
                    .map_err(|e| BuildError::Context(format!("cannot read .dockerignore: {e}")))?;
                Ignore::parse(&t)
            }
            Err(BuildError::Source(_)) if !root.join(".dockerignore").exists() => Ignore::default(),
            Err(e) => {
                return Err(BuildError::Context(format!(
                    "cannot read .dockerignore: {e}"
                )));
            }
        };
        Ok(Tree {
            root: Some(root),
            ignore,
            strict: true,
        })
    }

    /// No context (`build -`): every COPY fails.
    pub fn empty() -> Tree {
        Tree {
            root: None,
            ignore: Ignore::default(),
            strict: true,
        }
    }

    /// A stage's or image's root filesystem.
    pub fn rootfs(root: PathBuf) -> Tree {
        Tree {
            root: Some(root),
            ignore: Ignore::default(),
            strict: false,
        }
    }

    /// Whether `rel` is excluded by `.dockerignore`.
    pub fn excluded(&self, rel: &str) -> bool {
        self.strict && self.ignore.excluded(rel)
    }

    /// The sources `pattern` names (a path or a glob). `what` is the instruction, for
    /// messages.
    pub fn resolve(&self, pattern: &str, what: &str) -> Result<Vec<Source>, BuildError> {
        let source = |m: String| BuildError::Source(m);
        let Some(root) = &self.root else {
            return Err(source(format!(
                "{what} source '{pattern}': there is no build context (the Dockerfile came from stdin)"
            )));
        };
        let mut parts: Vec<String> = Vec::new();
        for c in pattern.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    // A stage's root clamps `..` as the container would see it.
                    if parts.pop().is_none() && self.strict {
                        return Err(source(format!(
                            "{what} source '{pattern}' is outside the build context: expected a path inside it"
                        )));
                    }
                }
                c => parts.push(c.to_string()),
            }
        }
        let mut hops = MAX_SYMLINKS;
        // (path as named, path resolved), both relative to the root.
        let mut cur: Vec<(Vec<String>, Vec<String>)> = vec![(Vec::new(), Vec::new())];
        for part in &parts {
            let mut next = Vec::new();
            for (named, resolved) in &cur {
                let candidates: Vec<String> = if has_glob(part) {
                    let dir = root.join(resolved.join("/"));
                    let mut names: Vec<String> = match fs::read_dir(&dir) {
                        Ok(rd) => rd
                            .filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .filter(|n| fnmatch(part.as_bytes(), n.as_bytes()))
                            .collect(),
                        Err(_) => Vec::new(),
                    };
                    names.sort();
                    names
                } else {
                    vec![part.clone()]
                };
                for name in candidates {
                    let mut n = named.clone();
                    n.push(name.clone());
                    let mut r = resolved.clone();
                    r.push(name);
                    let r = self.follow(root, r, pattern, what, &mut hops)?;
                    next.push((n, r));
                }
            }
            cur = next;
        }
        let mut out = Vec::new();
        for (named, resolved) in cur {
            let rel = named.join("/");
            if self.excluded(&rel) {
                if has_glob(pattern) {
                    continue;
                }
                return Err(source(format!(
                    "{what} source '{pattern}' is excluded by .dockerignore"
                )));
            }
            let host = root.join(resolved.join("/"));
            match fs::metadata(&host) {
                Ok(m) => out.push(Source {
                    host,
                    rel,
                    is_dir: m.is_dir(),
                }),
                Err(_) if has_glob(pattern) => {}
                Err(_) => {
                    return Err(source(format!(
                        "{what} source '{pattern}' not found in the build context: expected a file or directory inside it"
                    )));
                }
            }
        }
        if out.is_empty() {
            return Err(source(format!(
                "{what} source '{pattern}' matches no file in the build context"
            )));
        }
        Ok(out)
    }

    /// Follows symlinks at the end of `path` (whose parents are already resolved). Strict
    /// trees refuse targets outside the root; others clamp them to it. Every link followed,
    /// here or in a target's middle, spends one of `hops`.
    fn follow(
        &self,
        root: &Path,
        mut path: Vec<String>,
        pattern: &str,
        what: &str,
        hops: &mut u32,
    ) -> Result<Vec<String>, BuildError> {
        loop {
            let host = root.join(path.join("/"));
            let Ok(m) = fs::symlink_metadata(&host) else {
                return Ok(path);
            };
            if !m.file_type().is_symlink() {
                return Ok(path);
            }
            if *hops == 0 {
                return Err(BuildError::SymlinkLoop {
                    what: what.to_string(),
                    pattern: pattern.to_string(),
                    path: path.join("/"),
                });
            }
            *hops -= 1;
            let target = fs::read_link(&host)
                .map_err(|e| BuildError::Source(format!("{what} source '{pattern}': {e}")))?;
            let escape = || {
                BuildError::Source(format!(
                    "{what} source '{pattern}' is a symlink leading outside the build context: expected a path inside it"
                ))
            };
            let t = target.to_string_lossy().into_owned();
            let mut base: Vec<String> = if t.starts_with('/') {
                if self.strict {
                    return Err(escape());
                }
                Vec::new()
            } else {
                path[..path.len() - 1].to_vec()
            };
            let comps: Vec<&str> = t.split('/').filter(|c| !c.is_empty()).collect();
            for (i, c) in comps.iter().enumerate() {
                match *c {
                    "." => {}
                    ".." => {
                        if base.pop().is_none() && self.strict {
                            return Err(escape());
                        }
                    }
                    c => {
                        base.push(c.to_string());
                        // A link in the middle of the target must be followed too; the
                        // last component is followed by this loop.
                        if i + 1 < comps.len() {
                            base = self.follow(root, base, pattern, what, hops)?;
                        }
                    }
                }
            }
            path = base;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_stay_inside_the_context() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = dir.path().join("ctx");
        fs::create_dir_all(ctx.join("src/sub")).expect("mkdir");
        fs::write(ctx.join("src/a.txt"), "a").expect("write");
        fs::write(ctx.join("src/b.txt"), "b").expect("write");
        fs::write(ctx.join("src/skip.log"), "x").expect("write");
        fs::write(dir.path().join("outside"), "secret").expect("write");
        fs::write(ctx.join(".dockerignore"), "src/*.log\n").expect("write");
        std::os::unix::fs::symlink("../outside", ctx.join("up")).expect("link");
        std::os::unix::fs::symlink("/etc/passwd", ctx.join("abs")).expect("link");
        std::os::unix::fs::symlink("src/a.txt", ctx.join("inside")).expect("link");
        let t = Tree::context(&ctx).expect("context");

        let got = t.resolve("src/*.txt", "COPY").expect("glob");
        assert_eq!(
            got.iter().map(|s| s.rel.as_str()).collect::<Vec<_>>(),
            ["src/a.txt", "src/b.txt"]
        );
        assert_eq!(
            t.resolve("/src/a.txt", "COPY").expect("abs is relative")[0].rel,
            "src/a.txt"
        );
        assert!(t.resolve("src/../src/a.txt", "COPY").is_ok());
        assert!(
            t.resolve("inside", "COPY").expect("link in")[0]
                .host
                .ends_with("src/a.txt")
        );
        let e = t.resolve("../x", "COPY").expect_err("dotdot").to_string();
        assert!(e.contains("outside the build context"), "{e}");
        assert!(
            t.resolve("up", "COPY")
                .expect_err("link out")
                .to_string()
                .contains("symlink leading outside")
        );
        assert!(t.resolve("abs", "COPY").is_err());
        assert!(
            t.resolve("src/skip.log", "COPY")
                .expect_err("ignored")
                .to_string()
                .contains(".dockerignore")
        );
        assert!(t.resolve("nope", "COPY").is_err());
        assert!(
            t.resolve("src/*.log", "COPY").is_err(),
            "a glob matching only ignored files"
        );

        // A stage's root clamps instead.
        let r = Tree::rootfs(ctx.clone());
        assert!(
            r.resolve("abs", "COPY").is_err(),
            "clamped to <root>/etc/passwd, which is absent"
        );
        assert!(
            r.resolve("../../src/a.txt", "COPY").expect("clamped")[0]
                .host
                .ends_with("src/a.txt"),
            "dotdot above a stage's root is clamped at it"
        );
    }

    #[test]
    fn symlink_loops_end_in_eloop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = dir.path();
        std::os::unix::fs::symlink("loop", ctx.join("loop")).expect("link");
        std::os::unix::fs::symlink("b/x", ctx.join("a")).expect("link");
        std::os::unix::fs::symlink("a", ctx.join("b")).expect("link");
        std::os::unix::fs::symlink("loop/x", ctx.join("deep")).expect("link");
        for strict in [true, false] {
            let t = if strict {
                Tree::context(ctx).expect("context")
            } else {
                Tree::rootfs(ctx.to_path_buf())
            };
            for (src, at) in [
                ("loop", "loop"),
                ("a", "a"),
                ("deep", "loop"),
                ("loop/x", "loop"),
            ] {
                let e = t.resolve(src, "COPY").expect_err("a loop");
                assert!(
                    matches!(&e, BuildError::SymlinkLoop { path, .. } if path == at),
                    "{src}: {e}"
                );
                assert!(e.to_string().contains("ELOOP"), "{e}");
            }
        }
    }
}
