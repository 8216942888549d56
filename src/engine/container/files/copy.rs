//! `cp`: copying files between a container and the host, with Docker's rules.
//!
//! Both directions go through a tar stream (which `-` exposes directly): the source side
//! writes the archive on one thread, the destination side extracts it on another. Entry
//! names are chosen so that extracting into the destination's directory gives Docker's
//! result: a file onto a new name or into a directory, a directory created or copied
//! into an existing one, and `SRC/.` copying only the contents.

use super::archive::{self, WalkOptions};
use super::extract::{Extracted, Owner, extract};
use crate::engine::Engine;
use crate::engine::container::files::FilesError;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::runtime::inroot::resolve_in_root;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Options of `cp`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CopyOptions {
    /// `-a`: keep the uid/gid of the source files (copying into a container).
    pub archive: bool,
    /// `-L`: follow a symlink in the source path's last component.
    pub follow_link: bool,
}

/// Where `copy_from_container` puts what it copies.
pub enum CopyOut<'a> {
    /// A host path, with Docker's rules for files and directories.
    Path(&'a Path),
    /// A tar stream (`cp CONTAINER:SRC -`).
    Tar(&'a mut (dyn Write + Send)),
}

/// What `copy_to_container` copies.
pub enum CopyIn<'a> {
    /// A host path.
    Path(&'a Path),
    /// A tar stream extracted into the destination directory (`cp - CONTAINER:DEST`).
    Tar(&'a mut (dyn Read + Send)),
}

/// A source as found: where it is, whether it is a directory, what to call it in the tar.
struct Source {
    host: PathBuf,
    is_dir: bool,
    /// `SRC/.`: copy what the directory holds, not the directory.
    contents_only: bool,
}

impl Source {
    /// Checks the source exists and matches what the user's spelling promised.
    fn find(host: PathBuf, shown: &str, follow: bool) -> Result<Source> {
        let meta = if follow {
            std::fs::metadata(&host)
        } else {
            std::fs::symlink_metadata(&host)
        };
        let meta =
            meta.map_err(|_| EngineError::Invalid(format!("could not find the file '{shown}'")))?;
        if !meta.is_dir() && (shown.ends_with('/') || shown.ends_with("/.")) {
            return Err(EngineError::Invalid(format!(
                "'{shown}' is not a directory"
            )));
        }
        Ok(Source {
            host,
            is_dir: meta.is_dir(),
            contents_only: meta.is_dir() && (shown.ends_with("/.") || shown == "."),
        })
    }

    /// Writes the source as a tar whose top entry is `name` (its children alone when
    /// `name` is empty).
    fn write_tar(&self, out: &mut dyn Write, name: &Path, opts: WalkOptions) -> Result<u64> {
        let mut b = archive::builder(out);
        let n = archive::append_tree(&mut b, &self.host, name, opts)?;
        b.finish().map_err(|e| EngineError::io(&self.host, e))?;
        Ok(n)
    }
}

/// Where to extract and under which name the source lands there.
struct Plan {
    /// The directory to extract into.
    dir: PathBuf,
    /// The name of the top entry ("" = the source's children directly into `dir`).
    name: PathBuf,
}

/// Docker's rules, given the source and the destination's state (`dest_meta`: `None` when
/// it does not exist). `dest` is the resolved destination, `shown` as the user typed it.
fn plan(
    src: &Source,
    src_name: &Path,
    dest: &Path,
    dest_meta: Option<std::fs::Metadata>,
    shown: &str,
    dest_exists_check: impl Fn(&Path) -> bool,
) -> Result<Plan> {
    let parent_and_name = || -> Result<Plan> {
        let parent = dest.parent().unwrap_or(Path::new(""));
        if !dest_exists_check(parent) {
            return Err(EngineError::Invalid(format!(
                "the parent directory of '{shown}' does not exist: create it first"
            )));
        }
        Ok(Plan {
            dir: parent.to_path_buf(),
            name: dest.file_name().map(PathBuf::from).unwrap_or_default(),
        })
    };
    match dest_meta {
        Some(m) if m.is_dir() => Ok(Plan {
            dir: dest.to_path_buf(),
            name: if src.contents_only {
                PathBuf::new()
            } else {
                src_name.to_path_buf()
            },
        }),
        Some(_) if src.is_dir => Err(EngineError::Invalid(format!(
            "cannot copy a directory to a file: '{shown}' is a file"
        ))),
        Some(_) => parent_and_name(),
        None if !src.is_dir && shown.ends_with('/') => Err(EngineError::Invalid(format!(
            "destination directory '{shown}' does not exist: create it first or drop the trailing '/'"
        ))),
        None => parent_and_name(),
    }
}

/// The last name of a path as the user typed it (`/a/b/` and `/a/b/.` give `b`).
fn base_name(p: &Path) -> PathBuf {
    p.components()
        .rfind(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| PathBuf::from(c.as_os_str()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Whether a path typed by the user asks for its last symlink to be followed.
fn wants_follow(shown: &str, follow_link: bool) -> bool {
    follow_link || shown.ends_with('/') || shown.ends_with("/.") || shown == "."
}

/// Runs `write` on a new thread feeding a pipe that `read` consumes on this one.
pub(crate) fn pipe_through<T>(
    write: impl FnOnce(&mut dyn Write) -> Result<u64> + Send,
    read: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    let (mut r, mut w) = std::io::pipe().map_err(FilesError::Pipe)?;
    std::thread::scope(|s| {
        let writer = s.spawn(move || {
            let res = write(&mut w);
            drop(w);
            res
        });
        let read_result = read(&mut r);
        drop(r);
        let write_result = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        // The reader's error explains a writer's broken pipe, so it comes first.
        let value = read_result?;
        write_result?;
        Ok(value)
    })
}

impl Engine {
    /// Copies `src` (a path inside the container) to the host or into a tar stream. Onto a
    /// host path, setuid/setgid bits are dropped and device nodes and FIFOs are left out
    /// (`Extracted::skipped` names them); a tar stream carries everything as it is.
    pub fn copy_from_container(
        &self,
        container: &str,
        src: &str,
        out: CopyOut<'_>,
        opts: CopyOptions,
    ) -> Result<Extracted> {
        let c = self.container(container)?;
        let name = c.name().to_string();
        let running = super::rootfs::running_root(&c).is_some();
        self.with_rootfs(&c, move |root| {
            let follow = wants_follow(src, opts.follow_link);
            let rel = resolve_in_root(root, Path::new(src), follow)?;
            let host = if rel.as_os_str().is_empty() {
                root.join(".")
            } else {
                root.join(&rel)
            };
            let source = Source::find(host, src, follow)
                .map_err(|e| EngineError::Invalid(format!("{e} in container '{name}'")))?;
            let walk = WalkOptions {
                one_file_system: false,
                skip_virtual: running,
            };
            let src_name = base_name(Path::new(src));
            match out {
                CopyOut::Tar(w) => {
                    let top = if source.contents_only {
                        PathBuf::new()
                    } else {
                        src_name
                    };
                    source.write_tar(w, &top, walk).map(|bytes| Extracted {
                        bytes,
                        skipped: Vec::new(),
                    })
                }
                CopyOut::Path(dest) => {
                    let shown = dest.to_string_lossy().into_owned();
                    let abs = std::path::absolute(dest).at(dest)?;
                    let dest_meta = std::fs::metadata(&abs).ok();
                    let plan = plan(&source, &src_name, &abs, dest_meta, &shown, |p| p.is_dir())?;
                    let dir = std::fs::canonicalize(&plan.dir).at(&plan.dir)?;
                    pipe_through(
                        |w| source.write_tar(w, &plan.name, walk),
                        |r| extract(&dir, Path::new(""), r, Owner::Caller),
                    )
                }
            }
        })
    }

    /// Copies a host path or a tar stream to `dest` (a path inside the container).
    /// Returns the bytes of file content copied.
    pub fn copy_to_container(
        &self,
        container: &str,
        src: CopyIn<'_>,
        dest: &str,
        opts: CopyOptions,
    ) -> Result<u64> {
        let c = self.container(container)?;
        let name = c.name().to_string();
        let owner = if opts.archive {
            Owner::FromArchive
        } else {
            Owner::Root
        };
        let source = match &src {
            CopyIn::Path(p) => {
                let shown = p.to_string_lossy().into_owned();
                let follow = wants_follow(&shown, opts.follow_link);
                Some(Source::find(std::path::absolute(p).at(p)?, &shown, follow)?)
            }
            CopyIn::Tar(_) => None,
        };
        self.with_rootfs(&c, move |root| {
            let rel = resolve_in_root(root, Path::new(dest), true)?;
            let dest_meta = std::fs::symlink_metadata(root.join(&rel)).ok();
            let in_ctr = |e: EngineError| EngineError::Invalid(format!("{e} in container '{name}'"));
            match (src, source) {
                (CopyIn::Path(p), Some(source)) => {
                    let src_name = base_name(p);
                    let is_dir = |d: &Path| root.join(d).is_dir();
                    let plan = plan(&source, &src_name, &rel, dest_meta, dest, is_dir).map_err(in_ctr)?;
                    pipe_through(
                        |w| source.write_tar(w, &plan.name, WalkOptions::default()),
                        |r| extract(root, &plan.dir, r, owner).map(|x| x.bytes),
                    )
                }
                (CopyIn::Tar(r), _) => {
                    if !dest_meta.is_some_and(|m| m.is_dir()) {
                        return Err(in_ctr(EngineError::Invalid(format!(
                            "destination '{dest}' must be an existing directory when copying a tar stream"
                        ))));
                    }
                    extract(root, &rel, r, owner).map(|x| x.bytes)
                }
                (CopyIn::Path(_), None) => Err(FilesError::MissingSource.into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_follow_the_typed_path() {
        assert_eq!(base_name(Path::new("/a/b")), PathBuf::from("b"));
        assert_eq!(base_name(Path::new("/a/b/")), PathBuf::from("b"));
        assert_eq!(base_name(Path::new("/a/b/.")), PathBuf::from("b"));
        assert_eq!(base_name(Path::new("/")), PathBuf::from("."));
        assert!(wants_follow("/x/", false));
        assert!(wants_follow("/x/.", false));
        assert!(!wants_follow("/x", false));
        assert!(wants_follow("/x", true));
    }
}
