//! Finding and reading the Dockerfile. One inside the context (the default
//! `<context>/Dockerfile`, or a `-f` path under the context) is resolved like a COPY source:
//! a symlink leading out of the context, or a chain of symlinks without end, is refused
//! before anything is read. A `-f` path outside the context is the user's own choice and is
//! read as given, as in Docker. Either way it must be a regular file.

use super::context::Tree;
use super::error::BuildError;
use super::options::BuildOptions;
use std::path::{Component, Path, PathBuf};

/// The Dockerfile's text and the name errors show it by.
pub fn read(opts: &BuildOptions, tree: &Tree) -> Result<(String, String), BuildError> {
    if let Some(t) = &opts.dockerfile_text {
        return Ok((t.clone(), "Dockerfile".into()));
    }
    let path = match (&opts.dockerfile, &opts.context) {
        (Some(f), _) => f.clone(),
        (None, Some(c)) => c.join("Dockerfile"),
        (None, None) => {
            return Err(BuildError::Context(
                "no Dockerfile: give one with -f or on stdin".into(),
            ));
        }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerfile".into());
    let host = match inside_context(&path, opts.context.as_deref(), tree) {
        Some(rel) => {
            // `.dockerignore` does not hide the Dockerfile from the build itself.
            let t = Tree {
                ignore: Default::default(),
                ..tree.clone()
            };
            let found = t.resolve(&rel, "Dockerfile").map_err(|e| match e {
                BuildError::Source(m) => BuildError::Context(m.replace(" source ", " ")),
                BuildError::SymlinkLoop { path, .. } => BuildError::Context(format!(
                    "Dockerfile '{rel}': too many levels of symbolic links (ELOOP) at '{path}': expected a symlink that ends at a file"
                )),
                e => e,
            })?;
            found[0].host.clone()
        }
        None => path.clone(),
    };
    let unreadable = |why: String| {
        BuildError::Context(format!(
            "cannot read Dockerfile '{}': {why}",
            path.display()
        ))
    };
    let meta = std::fs::metadata(&host).map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("expected a regular file".into()));
    }
    let text = std::fs::read_to_string(&host).map_err(|e| unreadable(e.to_string()))?;
    Ok((text, name))
}

/// `path` relative to the context when it lies inside it (lexically, after making it
/// absolute), as the context's own directory or its canonical path name it.
fn inside_context(path: &Path, context: Option<&Path>, tree: &Tree) -> Option<String> {
    let abs = lexical(path)?;
    let tops = [context.and_then(lexical), tree.root.clone()];
    tops.iter().flatten().find_map(|top| {
        abs.strip_prefix(top)
            .ok()
            .map(|r| r.to_string_lossy().into_owned())
    })
}

/// `p` made absolute against the current directory, `.` and `..` removed.
fn lexical(p: &Path) -> Option<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let mut out = PathBuf::from("/");
    for c in abs.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dockerfile_leading_out_of_the_context_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = dir.path().join("ctx");
        std::fs::create_dir(&ctx).expect("mkdir");
        std::fs::write(dir.path().join("secret"), "SECRET LINE\n").expect("write");
        std::os::unix::fs::symlink("../secret", ctx.join("Dockerfile")).expect("link");
        std::os::unix::fs::symlink("loop", ctx.join("loop")).expect("link");
        std::fs::write(ctx.join("real"), "FROM scratch\n").expect("write");
        std::os::unix::fs::symlink("real", ctx.join("Dockerfile.ok")).expect("link");
        let tree = Tree::context(&ctx).expect("context");
        let opts = |f: Option<PathBuf>| BuildOptions {
            context: Some(ctx.clone()),
            dockerfile: f,
            ..Default::default()
        };
        let e = read(&opts(None), &tree).expect_err("outside").to_string();
        assert!(e.contains("leading outside the build context"), "{e}");
        assert!(!e.contains("SECRET"), "{e}");
        let e = read(&opts(Some(ctx.join("loop"))), &tree)
            .expect_err("loop")
            .to_string();
        assert!(e.contains("ELOOP"), "{e}");
        let (text, name) = read(&opts(Some(ctx.join("Dockerfile.ok"))), &tree).expect("inside");
        assert_eq!(
            (text.as_str(), name.as_str()),
            ("FROM scratch\n", "Dockerfile.ok")
        );
        // Outside the context, -f is read as given.
        std::fs::write(dir.path().join("Dockerfile.out"), "FROM busybox\n").expect("write");
        let (text, _) =
            read(&opts(Some(dir.path().join("Dockerfile.out"))), &tree).expect("outside -f");
        assert_eq!(text, "FROM busybox\n");
    }
}
